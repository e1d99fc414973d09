import type { Communication, Condition, Coverage, DocumentReference, Patient, Reference, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { collectDocument, collectReference, emptyCollected, type Collected } from './attachments.ts';
import {
  conditionDiagnosis,
  coverageDraft,
  dedupeDiagnoses,
  patientDraft,
  PRIORITY_TO_URGENCY,
  reasonDiagnosis,
  referredToRaw,
  referrerDraft,
  type Draft,
} from './map-fields.ts';
import { codeableText, identifierKey, nonEmpty, type Entry, type Resolver } from './resolve.ts';

/** A referral being assembled: fields not yet checked, body lines for the text, the documents collected so far. */
export type Pending = {
  entry: Entry;
  key: string | null;
  action: 'new' | 'modify' | 'cancel';
  draft: Draft;
  body: string[];
  sink: Collected;
  warn: (message: string) => void;
};

const line = (label: string, value: string | undefined) => (value ? `${label}: ${value}` : undefined);
/** Free text keeps its line breaks (the classifier reads them) but not runs of spaces. */
const tidy = (s: string | undefined) => s?.replace(/[ \t]+/g, ' ').trim() || undefined;
const dateOf = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : s);
const CANCELLING_STATUSES = new Set(['revoked', 'entered-in-error']);

/** A resend through PUT/PATCH is a correction; DELETE or a revoked status withdraws the referral. */
function actionOf(status: string | undefined, method: string | undefined): Pending['action'] {
  if (method === 'DELETE' || (status && CANCELLING_STATUSES.has(status))) return 'cancel';
  return method === 'PUT' || method === 'PATCH' ? 'modify' : 'new';
}

function patientOf(subject: Reference | undefined, container: Resource, index: Resolver, warn: (m: string) => void): Patient | undefined {
  const target = index.resolve(subject, container);
  if (target?.resourceType === 'Patient') return target;
  if (target) warn(`subject is a ${target.resourceType}, not a Patient: no patient details`);
  else if (!nonEmpty(subject?.display)) warn(`no patient details: subject ${subject?.reference ?? '(none)'} is not in the payload`);
  return undefined;
}

/** Conditions and Coverage the sender put in the Bundle for this patient without pointing at them. */
function looseFor<T extends 'Condition' | 'Coverage'>(type: T, patient: Patient | undefined, index: Resolver): Extract<Resource, { resourceType: T }>[] {
  if (!patient) return [];
  const out: Extract<Resource, { resourceType: T }>[] = [];
  for (const { resource: r } of index.entries) {
    if (r.resourceType !== type) continue;
    const whose = r.resourceType === 'Condition' ? r.subject : r.resourceType === 'Coverage' ? r.beneficiary : undefined;
    if (index.resolve(whose, r) === patient) out.push(r as Extract<Resource, { resourceType: T }>);
  }
  return out;
}

function resolvedOf<T extends Resource['resourceType']>(type: T, refs: Reference[] | undefined, container: Resource, index: Resolver): Extract<Resource, { resourceType: T }>[] {
  return (refs ?? []).map((r) => index.resolve(r, container)).filter((r): r is Extract<Resource, { resourceType: T }> => r?.resourceType === type);
}

function patientFields(patient: Patient | undefined, subject: Reference | undefined, warn: (m: string) => void): Draft {
  return patient ? patientDraft(patient, warn) : { patientName: nonEmpty(subject?.display) };
}

function uniqueJoin(parts: (string | undefined)[]): string | undefined {
  const list = [...new Set(parts.filter((p): p is string => !!p))];
  return list.length ? list.join('; ') : undefined;
}

export function fromServiceRequest(entry: Entry, index: Resolver, warn: (m: string) => void): Pending {
  const sr = entry.resource as ServiceRequest;
  const sink = emptyCollected();
  const patient = patientOf(sr.subject, sr, index, warn);
  const conditions: Condition[] = [...resolvedOf('Condition', [...(sr.reasonReference ?? []), ...(sr.supportingInfo ?? [])], sr, index)];
  for (const c of looseFor('Condition', patient, index)) if (!conditions.includes(c)) conditions.push(c);
  const coverage: Coverage | undefined = resolvedOf('Coverage', sr.insurance, sr, index)[0] ?? looseFor('Coverage', patient, index)[0];
  for (const ref of sr.supportingInfo ?? []) collectReference(ref, sr, index, sink, warn);

  const reason = uniqueJoin([
    ...(sr.reasonCode ?? []).map(codeableText),
    ...(sr.reasonReference ?? []).map((ref) => {
      const t = index.resolve(ref, sr);
      return t?.resourceType === 'Condition' ? codeableText(t.code) : nonEmpty(ref.display);
    }),
  ]);
  const raw = referredToRaw(sr.performerType, sr.performer, sr, index);
  const diagnoses = dedupeDiagnoses([...conditions.map(conditionDiagnosis), ...(sr.reasonCode ?? []).map(reasonDiagnosis)]);
  const draft: Draft = {
    ...patientFields(patient, sr.subject, warn),
    ...coverageDraft(coverage, sr, index),
    ...referrerDraft(sr.requester, sr, index),
    referredTo: raw ? { raw, specialty: null } : undefined,
    statedPriority: sr.priority ? PRIORITY_TO_URGENCY[sr.priority] : undefined,
    reason,
    diagnoses,
    referralDate: dateOf(sr.authoredOn),
  };
  const body = [
    line('Request', uniqueJoin([codeableText(sr.code), ...(sr.category ?? []).map(codeableText)])),
    line('Priority', sr.priority),
    line('Referred to', raw),
    line('Reason', reason),
    line('Diagnoses', diagnoses?.map((d) => (d.code ? `${d.text} (${d.code})` : d.text)).join('; ')),
    ...(sr.orderDetail ?? []).map((d) => line('Order detail', codeableText(d))),
    line('Patient instruction', nonEmpty(sr.patientInstruction)),
    ...(sr.note ?? []).map((n) => tidy(n.text)),
  ].filter((l): l is string => !!l);
  return { entry, key: identifierKey(sr.identifier?.[0]), action: actionOf(sr.status, entry.method), draft, body, sink, warn };
}

/**
 * Documents with no ServiceRequest (a referral letter as a DocumentReference, a Communication with the letter
 * as payload): the first one gives the identity and metadata, all of them give files and text.
 */
export function fromDocuments(entries: Entry[], index: Resolver, warn: (m: string) => void): Pending {
  const first = entries[0]!;
  const doc = first.resource as DocumentReference | Communication;
  const sink = emptyCollected();
  const patient = patientOf(doc.subject, doc, index, warn);
  const comm = doc.resourceType === 'Communication' ? doc : undefined;
  const conditions = [...resolvedOf('Condition', comm?.reasonReference, doc, index), ...looseFor('Condition', patient, index)];
  const reason = uniqueJoin((comm?.reasonCode ?? []).map(codeableText));
  const draft: Draft = {
    ...patientFields(patient, doc.subject, warn),
    ...coverageDraft(looseFor('Coverage', patient, index)[0], doc, index),
    ...referrerDraft(comm ? comm.sender : doc.resourceType === 'DocumentReference' ? doc.author?.[0] : undefined, doc, index),
    statedPriority: comm?.priority ? PRIORITY_TO_URGENCY[comm.priority] : undefined,
    reason,
    diagnoses: dedupeDiagnoses(conditions.map(conditionDiagnosis)),
    referralDate: dateOf(comm ? comm.sent : doc.resourceType === 'DocumentReference' ? doc.date : undefined),
  };
  for (const e of entries) collectDocument(e.resource, e.resource, index, sink, warn);
  const body = [
    line('Topic', codeableText(comm?.topic)),
    line('Reason', reason),
    ...(comm?.note ?? []).map((n) => tidy(n.text)),
  ].filter((l): l is string => !!l);
  const key = doc.resourceType === 'DocumentReference' ? identifierKey(doc.masterIdentifier ?? doc.identifier?.[0]) : identifierKey(doc.identifier?.[0]);
  return { entry: first, key, action: actionOf(doc.status, first.method), draft, body, sink, warn };
}

/** The ServiceRequest a loose document says it belongs to (context.related, basedOn, partOf, about). */
export function linkedRequest(r: Resource, index: Resolver): Resource | undefined {
  const refs: Reference[] =
    r.resourceType === 'DocumentReference'
      ? (r.context?.related ?? [])
      : r.resourceType === 'Communication'
        ? [...(r.basedOn ?? []), ...(r.partOf ?? []), ...(r.about ?? [])]
        : [];
  return refs.map((ref) => index.resolve(ref, r)).find((t) => t?.resourceType === 'ServiceRequest');
}
