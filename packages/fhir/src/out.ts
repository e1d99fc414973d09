import { DOCUMENT_STATUSES, type ReferralFields, type Urgency } from '@triage/contracts';
import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CodeableConcept,
  Coverage,
  Identifier,
  Patient,
  Provenance,
  ProvenanceAgent,
  Resource,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';
import { NPI_SYSTEM } from './map-fields.ts';

export { operationOutcome } from './outcome.ts';

/** The document's status as the product shows it: the stored statuses plus the two a FHIR client can also see. */
export const DOC_STATUSES = [...DOCUMENT_STATUSES, 'waiting_on_referrer', 'cancelled'] as const;
export type DocStatus = (typeof DOC_STATUSES)[number];

/** Product urgency → request priority; the inverse of the intake mapping (asap is never produced). */
export const URGENCY_TO_PRIORITY = { emergent: 'stat', urgent: 'urgent', routine: 'routine' } as const satisfies Record<Urgency, ServiceRequest['priority']>;

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const PARTICIPANT = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

/** `system|value` back to an Identifier; no `|` means the whole key is the value. */
export function parseIdentifierKey(key: string): Identifier {
  const bar = key.indexOf('|');
  if (bar < 0) return { value: key };
  const system = key.slice(0, bar);
  return system ? { system, value: key.slice(bar + 1) } : { value: key.slice(bar + 1) };
}

const IDENTIFIER_SHAPE: Record<string, Omit<Identifier, 'value'>> = {
  mrn: { type: { coding: [{ system: V2_0203, code: 'MR' }] } },
  ssn: { system: 'http://hl7.org/fhir/sid/us-ssn' },
  nhs: { system: 'https://fhir.nhs.uk/Id/nhs-number' },
  medicare: { type: { coding: [{ system: V2_0203, code: 'MC' }] } },
  medicaid: { type: { coding: [{ system: V2_0203, code: 'MA' }] } },
  other: {},
};

/** The patient as read, contained in the ServiceRequest: the product does not keep Patient resources of its own. */
function containedPatient(f: ReferralFields): Patient | undefined {
  const ids = f.identifiers?.value ?? (f.mrn ? [{ kind: 'mrn' as const, value: f.mrn.value }] : []);
  const p: Patient = {
    resourceType: 'Patient',
    id: 'patient',
    ...(f.patientName ? { name: [{ text: f.patientName.value }] } : {}),
    ...(f.birthDate ? { birthDate: f.birthDate.value } : {}),
    ...(f.sex ? { gender: f.sex.value } : {}),
    ...(ids.length ? { identifier: ids.map((i) => ({ ...IDENTIFIER_SHAPE[i.kind], value: i.value })) } : {}),
    ...(f.patientPhone ? { telecom: [{ system: 'phone', value: f.patientPhone.value }] } : {}),
    ...(f.patientAddress ? { address: [{ text: f.patientAddress.value }] } : {}),
  };
  // Nothing known about the patient: a display on the subject says so without an empty resource.
  return Object.keys(p).length > 2 ? p : undefined;
}

export function serviceRequestFor(r: {
  id: string;
  identifier: string | null;
  receivedAt: Date;
  priority: Urgency | null;
  fields: ReferralFields;
  status: DocStatus;
}): ServiceRequest {
  const f = r.fields;
  const patient = containedPatient(f);
  const contained: Resource[] = patient ? [patient] : [];
  const subject = patient ? { reference: '#patient', ...(f.patientName ? { display: f.patientName.value } : {}) } : { display: f.patientName?.value ?? 'Unknown patient' };
  if (f.insurancePayer || f.insuranceMemberId) {
    const coverage: Coverage = {
      resourceType: 'Coverage',
      id: 'coverage',
      status: 'active',
      beneficiary: subject,
      payor: [{ display: f.insurancePayer?.value ?? 'Unknown payer' }],
      ...(f.insuranceMemberId ? { subscriberId: f.insuranceMemberId.value } : {}),
    };
    contained.push(coverage);
  }
  const requester = f.referrerName ?? f.referrerOrganization;
  const reasons: CodeableConcept[] = [
    ...(f.reason ? [{ text: f.reason.value }] : []),
    ...(f.diagnoses?.value ?? []).map((d) => ({ ...(d.code ? { coding: [{ code: d.code, display: d.text }] } : {}), text: d.text })),
  ];
  return {
    resourceType: 'ServiceRequest',
    id: r.id,
    ...(contained.length ? { contained } : {}),
    ...(r.identifier ? { identifier: [parseIdentifierKey(r.identifier)] } : {}),
    // The referral stays active while the product works on it; only the sender's withdrawal revokes it.
    status: r.status === 'cancelled' ? 'revoked' : 'active',
    intent: 'order',
    ...(r.priority ? { priority: URGENCY_TO_PRIORITY[r.priority] } : {}),
    subject,
    authoredOn: f.referralDate?.value ?? r.receivedAt.toISOString(),
    ...(requester
      ? { requester: { display: requester.value, ...(f.referrerNpi ? { identifier: { system: NPI_SYSTEM, value: f.referrerNpi.value } } : {}) } }
      : {}),
    ...(f.referredTo ? { performerType: { text: f.referredTo.value.raw } } : {}),
    ...(reasons.length ? { reasonCode: reasons } : {}),
    ...(contained.some((c) => c.resourceType === 'Coverage') ? { insurance: [{ reference: '#coverage' }] } : {}),
  };
}

/** Task.status (what a FHIR client polls) and the product's own word for it in businessStatus. */
export const TASK_STATUS: Record<DocStatus, { status: Task['status']; business: string }> = {
  received: { status: 'requested', business: 'in triage' },
  processing: { status: 'requested', business: 'in triage' },
  needs_review: { status: 'ready', business: 'needs review' },
  waiting_on_referrer: { status: 'on-hold', business: 'information requested' },
  // Accepted, not completed: the team now owns the referral, the care it asks for has not happened.
  routed: { status: 'accepted', business: 'routed' },
  rejected: { status: 'rejected', business: 'rejected' },
  failed: { status: 'failed', business: 'failed' },
  cancelled: { status: 'cancelled', business: 'cancelled' },
};

export function taskFor(t: {
  id: string;
  serviceRequestId: string;
  status: DocStatus;
  team: string | null;
  priority: Urgency | null;
  decidedBy: 'model' | 'reviewer' | null;
  updatedAt: Date;
  reasons: string[];
}): Task {
  const { status, business } = TASK_STATUS[t.status];
  return {
    resourceType: 'Task',
    id: t.id,
    status,
    businessStatus: { text: business },
    intent: 'order',
    ...(t.priority ? { priority: URGENCY_TO_PRIORITY[t.priority] } : {}),
    focus: { reference: `ServiceRequest/${t.serviceRequestId}` },
    lastModified: t.updatedAt.toISOString(),
    ...(t.team && t.status === 'routed' ? { owner: { display: t.team } } : {}),
    ...(t.reasons.length ? { note: t.reasons.map((text) => ({ text })) } : {}),
    ...(t.decidedBy ? { output: [{ type: { text: 'decided by' }, valueCode: t.decidedBy }] } : {}),
  };
}

const agentType = (code: 'author' | 'assembler'): CodeableConcept => ({ coding: [{ system: PARTICIPANT, code }] });

/** Who decided: the reviewer when one did, and always the model and policy versions that proposed it. */
export function provenanceFor(p: { taskId: string; recorded: Date; modelVersion: string; policyVersion: string; reviewer: string | null }): Provenance {
  const device: ProvenanceAgent = {
    type: agentType(p.reviewer ? 'assembler' : 'author'),
    who: { type: 'Device', display: `triage model ${p.modelVersion}, routing policy ${p.policyVersion}` },
  };
  const agents: ProvenanceAgent[] = p.reviewer ? [{ type: agentType('author'), who: { type: 'Practitioner', display: p.reviewer } }, device] : [device];
  return { resourceType: 'Provenance', target: [{ reference: `Task/${p.taskId}` }], recorded: p.recorded.toISOString(), agent: agents };
}

/** When the capabilities below last changed (CapabilityStatement.date is required; a build date would churn). */
export const CAPABILITY_DATE = '2025-01-01';

export function capabilityStatement(baseUrl: string): CapabilityStatement {
  type Rest = CapabilityStatementRestResource;
  const resource = (type: Rest['type'], interactions: NonNullable<Rest['interaction']>[number]['code'][], searchParam?: Rest['searchParam']): Rest => ({
    type,
    interaction: interactions.map((code) => ({ code })),
    ...(searchParam ? { searchParam } : {}),
  });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: CAPABILITY_DATE,
    kind: 'instance',
    implementation: { description: 'Referral triage FHIR intake', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        resource: [
          resource('ServiceRequest', ['create', 'read', 'search-type'], [{ name: 'identifier', type: 'token' }]),
          resource('Task', ['read', 'search-type'], [{ name: 'focus', type: 'reference' }]),
          resource('DocumentReference', ['create']),
          resource('Communication', ['create']),
        ],
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
      },
    ],
  };
}
