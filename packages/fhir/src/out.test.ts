// The product's own FHIR output: every builder's resource passes the validator, and a ServiceRequest reads back.
import type { ReferralFields } from '@triage/contracts';
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { interpretFhir } from './interpret.ts';
import { capabilityStatement, DOC_STATUSES, operationOutcome, parseIdentifierKey, provenanceFor, serviceRequestFor, taskFor, type DocStatus } from './out.ts';
import { OUTPUT_RESOURCE_TYPES, validateFhir } from './validate.ts';

function valid<T extends Resource>(r: T): T {
  const v = validateFhir(r, { accept: OUTPUT_RESOURCE_TYPES });
  expect(v.ok ? 'ok' : JSON.stringify(v.outcome.issue)).toBe('ok');
  expect(v.ok && v.warnings).toEqual([]);
  return r;
}
const f = <T>(value: T) => ({ value, confidence: 0.9, evidence: [], source: 'text' as const });

const FIELDS: ReferralFields = {
  patientName: f('Rosalind Fenwick'),
  birthDate: f('1958-11-02'),
  sex: f('female'),
  mrn: f('MFP-0099812'),
  identifiers: f([
    { kind: 'mrn' as const, value: 'MFP-0099812' },
    { kind: 'ssn' as const, value: '999-12-3456' },
  ]),
  patientPhone: f('555-0199'),
  patientAddress: f('12 Larch Lane, Springfield, IL, 62704'),
  insurancePayer: f('Prairie Health Plan'),
  insuranceMemberId: f('PHP-4418-22'),
  referrerName: f('Omar Haddad'),
  referrerNpi: f('1234567893'),
  referredTo: f({ raw: 'Cardiology clinic', specialty: 'cardiology' }),
  reason: f('Exertional chest pain'),
  diagnoses: f([{ code: 'I20.9', text: 'Stable angina' }]),
  referralDate: f('2025-03-14'),
};
const RECEIVED = new Date('2025-03-14T15:00:00Z');
const sr = (over: Partial<Parameters<typeof serviceRequestFor>[0]> = {}) =>
  serviceRequestFor({ id: 'doc-1', identifier: 'https://maple-fp.example/referrals|R-2025-0042', receivedAt: RECEIVED, priority: 'emergent', fields: FIELDS, status: 'routed', ...over });

describe('serviceRequestFor', () => {
  it('is a valid active order with the patient contained, the priority mapped back and the identifier parsed', () => {
    const r = valid(sr());
    expect(r).toMatchObject({
      id: 'doc-1',
      status: 'active',
      intent: 'order',
      priority: 'stat',
      identifier: [{ system: 'https://maple-fp.example/referrals', value: 'R-2025-0042' }],
      subject: { reference: '#patient', display: 'Rosalind Fenwick' },
      requester: { display: 'Omar Haddad', identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' } },
      performerType: { text: 'Cardiology clinic' },
      authoredOn: '2025-03-14',
    });
    expect(r.reasonCode?.map((c) => c.text)).toEqual(['Exertional chest pain', 'Stable angina']);
  });

  it.each([
    ['emergent', 'stat'],
    ['urgent', 'urgent'],
    ['routine', 'routine'],
    [null, undefined],
  ] as const)('priority %s → %s', (priority, expected) => {
    expect(valid(sr({ priority })).priority).toBe(expected);
  });

  it('revoked when cancelled; a display-only subject when nothing is known of the patient; no identifier when none', () => {
    const r = valid(sr({ status: 'cancelled', fields: {}, identifier: null, priority: null }));
    expect(r.status).toBe('revoked');
    expect(r.subject).toEqual({ display: 'Unknown patient' });
    expect(r.identifier).toBeUndefined();
    expect(r.contained).toBeUndefined();
    expect(r.authoredOn).toBe(RECEIVED.toISOString());
  });

  it('reads back through interpretFhir with the same patient, insurance, referrer and clinic', () => {
    const back = interpretFhir(valid(sr())).referrals[0]!;
    expect(back.key).toBe('https://maple-fp.example/referrals|R-2025-0042');
    const { diagnoses: _d, reason: _r, referredTo: _t, ...rest } = FIELDS;
    for (const [name, field] of Object.entries(rest)) expect(back.fields[name as keyof ReferralFields]?.value, name).toEqual(field.value);
    expect(back.fields.referredTo?.value).toEqual({ raw: 'Cardiology clinic', specialty: null });
    expect(back.fields.statedPriority?.value).toBe('emergent');
  });

  it('parseIdentifierKey undoes the intake key', () => {
    expect(parseIdentifierKey('urn:oid:1.2|A|B')).toEqual({ system: 'urn:oid:1.2', value: 'A|B' });
    expect(parseIdentifierKey('|45678')).toEqual({ value: '45678' });
    expect(parseIdentifierKey('45678')).toEqual({ value: '45678' });
  });
});

describe('taskFor', () => {
  const task = (status: DocStatus, team: string | null = 'cardiology') =>
    taskFor({ id: 't-1', serviceRequestId: 'doc-1', status, team, priority: 'urgent', decidedBy: 'model', updatedAt: RECEIVED, reasons: ['chest pain red flag'] });

  it('maps every document status to Task.status and businessStatus, each a valid Task', () => {
    const expected: Record<DocStatus, [string, string]> = {
      received: ['requested', 'in triage'],
      processing: ['requested', 'in triage'],
      needs_review: ['ready', 'needs review'],
      waiting_on_referrer: ['on-hold', 'information requested'],
      routed: ['accepted', 'routed'],
      rejected: ['rejected', 'rejected'],
      failed: ['failed', 'failed'],
      cancelled: ['cancelled', 'cancelled'],
    };
    expect([...DOC_STATUSES].sort()).toEqual(Object.keys(expected).sort());
    for (const s of DOC_STATUSES) {
      const t = valid(task(s));
      expect([t.status, t.businessStatus?.text], s).toEqual(expected[s]);
      expect(t).toMatchObject({ intent: 'order', focus: { reference: 'ServiceRequest/doc-1' }, priority: 'urgent', lastModified: RECEIVED.toISOString() });
    }
  });

  it('names the owning team only once routed', () => {
    expect(task('routed').owner).toEqual({ display: 'cardiology' });
    expect(task('needs_review').owner).toBeUndefined();
    expect(task('routed', null).owner).toBeUndefined();
    expect(task('routed').note).toEqual([{ text: 'chest pain red flag' }]);
  });
});

describe('provenanceFor', () => {
  it('the model decision: one Device agent carrying model and policy versions', () => {
    const p = valid(provenanceFor({ taskId: 't-1', recorded: RECEIVED, modelVersion: 'clf-2.3.0', policyVersion: 'policy-7', reviewer: null }));
    expect(p.target).toEqual([{ reference: 'Task/t-1' }]);
    expect(p.recorded).toBe(RECEIVED.toISOString());
    expect(p.agent).toHaveLength(1);
    expect(p.agent[0]?.who).toEqual({ type: 'Device', display: 'triage model clf-2.3.0, routing policy policy-7' });
  });

  it('a reviewer decision: the reviewer is the author, the model kept as assembler', () => {
    const p = valid(provenanceFor({ taskId: 't-1', recorded: RECEIVED, modelVersion: 'clf-2.3.0', policyVersion: 'policy-7', reviewer: 'nurse.lee' }));
    expect(p.agent.map((a) => [a.type?.coding?.[0]?.code, a.who.display])).toEqual([
      ['author', 'nurse.lee'],
      ['assembler', 'triage model clf-2.3.0, routing policy policy-7'],
    ]);
  });
});

describe('capabilityStatement and operationOutcome', () => {
  it('declares R4 JSON, the four resources with their interactions, transaction and batch', () => {
    const c = valid(capabilityStatement('https://triage.example/fhir'));
    expect(c).toMatchObject({ fhirVersion: '4.0.1', format: ['json'], kind: 'instance', implementation: { url: 'https://triage.example/fhir' } });
    const rest = c.rest![0]!;
    expect(rest.mode).toBe('server');
    expect(rest.interaction?.map((i) => i.code)).toEqual(['transaction', 'batch']);
    const summary = Object.fromEntries(rest.resource!.map((r) => [r.type, [r.interaction?.map((i) => i.code), r.searchParam?.map((s) => s.name)]]));
    expect(summary).toEqual({
      ServiceRequest: [['create', 'read', 'search-type'], ['identifier']],
      Task: [['read', 'search-type'], ['focus']],
      DocumentReference: [['create'], undefined],
      Communication: [['create'], undefined],
    });
  });

  it('operationOutcome is a valid single-issue outcome', () => {
    const o = valid(operationOutcome('error', 'invalid', 'priority is not a request priority', 'ServiceRequest.priority'));
    expect(o.issue).toEqual([{ severity: 'error', code: 'invalid', diagnostics: 'priority is not a request priority', expression: ['ServiceRequest.priority'] }]);
    expect(valid(operationOutcome('warning', 'informational', 'no expression')).issue[0]?.expression).toBeUndefined();
  });
});
