import type { ReferralFields } from '@triage/contracts';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { collectDocument, type FhirAttachment } from './attachments.ts';
import { toFields } from './map-fields.ts';
import { FhirIntakeError, operationOutcome } from './outcome.ts';
import { resolver, type Entry, type Resolver } from './resolve.ts';
import { fromDocuments, fromServiceRequest, linkedRequest, type Pending } from './sources.ts';
import { ACCEPTED_BUNDLE_TYPES, ACCEPTED_RESOURCE_TYPES } from './validate.ts';

export type { FhirAttachment } from './attachments.ts';

export type FhirReferral = {
  /** ServiceRequest.identifier[0] as `system|value` (or `|value`), the correction and duplicate key; null if none. */
  key: string | null;
  /** revoked / entered-in-error (or a DELETE entry) => cancel; a PUT/PATCH entry => modify; a key seen twice is the caller's call. */
  action: 'new' | 'modify' | 'cancel';
  fields: ReferralFields;
  /** Plain text for the text classifier: a short header, then request, reason, diagnoses, notes, message text. Never empty. */
  text: string;
  attachments: FhirAttachment[];
  /** Attachment urls and document references that point outside the payload: nothing was fetched. */
  unresolved: string[];
  /** The top resource that defined this referral. */
  resourceType: string;
};
export type FhirIntake = { referrals: FhirReferral[]; warnings: string[] };

/** The resources that can stand for a referral on their own. */
const SOURCE_TYPES = new Set(['ServiceRequest', 'DocumentReference', 'Communication']);
const DOCUMENT_TYPES = new Set(['DocumentReference', 'Communication']);
const IN_BUNDLE = new Set<string>(ACCEPTED_RESOURCE_TYPES.filter((t) => t !== 'Bundle'));

const labelOf = (r: Resource, fullUrl?: string) => (r.id ? `${r.resourceType}/${r.id}` : (fullUrl ?? r.resourceType));

/**
 * Reads a validated resource (see `validateFhir`) into the referrals it carries. Throws `FhirIntakeError`, with an
 * OperationOutcome for the client, when the payload is well-formed FHIR but holds no referral we can take.
 */
export function interpretFhir(resource: Resource): FhirIntake {
  const warnings: string[] = [];
  if (resource.resourceType === 'Bundle') return { referrals: fromBundle(resource, warnings), warnings };
  if (!SOURCE_TYPES.has(resource.resourceType)) {
    throw new FhirIntakeError(
      operationOutcome(
        'error',
        'not-supported',
        `A ${resource.resourceType} on its own is not a referral: send a ServiceRequest, DocumentReference or Communication, or a transaction/batch Bundle holding one`,
        'resourceType',
      ),
    );
  }
  const entry: Entry = { resource, label: labelOf(resource) };
  const index = resolver([entry]);
  const warn = (m: string) => warnings.push(`${entry.label}: ${m}`);
  const pending = resource.resourceType === 'ServiceRequest' ? fromServiceRequest(entry, index, warn) : fromDocuments([entry], index, warn);
  return { referrals: [finish(pending)], warnings };
}

function fromBundle(bundle: Bundle, warnings: string[]): FhirReferral[] {
  if (!(ACCEPTED_BUNDLE_TYPES as readonly string[]).includes(bundle.type)) {
    throw new FhirIntakeError(operationOutcome('error', 'invalid', `Bundle type "${bundle.type}" is not accepted; send a transaction or batch Bundle`, 'Bundle.type'));
  }
  const entries: Entry[] = [];
  (bundle.entry ?? []).forEach((e, i) => {
    const r = e.resource;
    if (!r) {
      if (e.request?.method === 'DELETE') warnings.push(`Bundle.entry[${i}]: DELETE ${e.request.url} ignored; to withdraw a referral send its ServiceRequest with status "revoked"`);
      return;
    }
    if (!IN_BUNDLE.has(r.resourceType)) {
      warnings.push(`Bundle.entry[${i}]: ${r.resourceType} ignored`);
      return;
    }
    entries.push({ resource: r, ...(e.fullUrl ? { fullUrl: e.fullUrl } : {}), ...(e.request?.method ? { method: e.request.method } : {}), label: labelOf(r, e.fullUrl) });
  });
  const index = resolver(entries);
  const warnFor = (e: Entry) => (m: string) => warnings.push(`${e.label}: ${m}`);

  const requests = entries.filter((e) => e.resource.resourceType === 'ServiceRequest');
  if (requests.length) {
    const pending = requests.map((e) => fromServiceRequest(e, index, warnFor(e)));
    attachLooseDocuments(pending, entries, index, warnings);
    return pending.map(finish);
  }
  const documents = entries.filter((e) => DOCUMENT_TYPES.has(e.resource.resourceType));
  if (!documents.length) {
    throw new FhirIntakeError(operationOutcome('error', 'required', 'The Bundle holds no ServiceRequest, DocumentReference or Communication: nothing to triage', 'Bundle.entry'));
  }
  // One referral per patient: a letter and its lab report for the same patient are one referral.
  const groups = new Map<unknown, Entry[]>();
  for (const e of documents) {
    const subject = (e.resource as { subject?: { reference?: string; display?: string } }).subject;
    const who = index.resolve(subject, e.resource) ?? subject?.reference ?? subject?.display ?? '';
    groups.set(who, [...(groups.get(who) ?? []), e]);
  }
  const pending = [...groups.values()].map((g) => fromDocuments(g, index, warnFor(g[0]!)));
  attachLooseDocuments(pending, entries, index, warnings);
  return pending.map(finish);
}

/**
 * Documents no ServiceRequest pointed at: to the request they name, else to the only referral, else ignored with
 * a warning (guessing would put one patient's letter on another's referral). Binaries last, as a
 * DocumentReference's url may already have claimed them.
 */
function attachLooseDocuments(pending: Pending[], entries: Entry[], index: Resolver, warnings: string[]): void {
  const used = () => new Set(pending.flatMap((p) => [...p.sink.used, p.entry.resource]));
  for (const type of ['DocumentReference', 'Communication', 'Binary']) {
    const claimed = used();
    for (const e of entries) {
      if (e.resource.resourceType !== type || claimed.has(e.resource)) continue;
      const request = linkedRequest(e.resource, index);
      const target = (request && pending.find((p) => p.entry.resource === request)) ?? (pending.length === 1 ? pending[0] : undefined);
      if (!target) {
        warnings.push(`${e.label}: not linked to a ServiceRequest (context.related, basedOn, about); ignored`);
        continue;
      }
      collectDocument(e.resource, e.resource, index, target.sink, target.warn);
    }
  }
}

function finish(p: Pending): FhirReferral {
  const fields = toFields(p.draft, p.warn);
  const referrer = [fields.referrerName?.value, fields.referrerOrganization?.value].filter(Boolean).join(', ');
  const header = [
    `Referral (FHIR ${p.entry.resource.resourceType}${p.entry.resource.id ? ` ${p.entry.resource.id}` : ''})`,
    fields.patientName ? `Patient: ${fields.patientName.value}` : undefined,
    referrer ? `Referred by: ${referrer}` : undefined,
  ].filter((l): l is string => !!l);
  return {
    key: p.key,
    action: p.action,
    fields,
    text: [...header, ...p.body, ...p.sink.lines].join('\n'),
    attachments: p.sink.attachments,
    unresolved: [...new Set(p.sink.unresolved)],
    resourceType: p.entry.resource.resourceType,
  };
}
