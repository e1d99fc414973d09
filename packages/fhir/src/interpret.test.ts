// interpretFhir: the official examples, an invented EHR transaction mapped field by field, and the edge shapes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referralFields, type ReferralFields } from '@triage/contracts';
import { sharedPath } from '@triage/testkit';
import type { Bundle, BundleEntry, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { LAB, PDF, REFERRAL_KEY, referralBundle } from './interpret.fixture.ts';
import { interpretFhir, type FhirIntake } from './interpret.ts';
import { FhirIntakeError } from './outcome.ts';
import { validateFhir } from './validate.ts';

const FHIR = sharedPath('datasets', 'fhir-r4');
const read = (type: string, file: string): unknown => JSON.parse(readFileSync(join(FHIR, type, file), 'utf8'));

/** The way the API will use it: validate, then interpret what validation returned. */
function intake(json: unknown): FhirIntake {
  const v = validateFhir(json);
  if (!v.ok) throw new Error(JSON.stringify(v.outcome.issue));
  return interpretFhir(v.resource);
}
const values = (f: ReferralFields) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.value]));
const only = (i: FhirIntake) => {
  expect(i.referrals).toHaveLength(1);
  return i.referrals[0]!;
};
function entry(bundle: Bundle, fullUrl: string): BundleEntry {
  return bundle.entry!.find((e) => e.fullUrl === fullUrl)!;
}

describe.skipIf(!existsSync(FHIR))('official R4 examples', () => {
  for (const type of ['ServiceRequest', 'DocumentReference', 'Communication']) {
    it(`every ${type} example gives one referral with contract-valid fields and text`, () => {
      for (const f of readdirSync(join(FHIR, type)).filter((n) => n.endsWith('.json'))) {
        const r = only(intake(read(type, f)));
        expect(r.resourceType, f).toBe(type);
        expect(r.text.trim().length, f).toBeGreaterThan(0);
        expect(referralFields.safeParse(r.fields).success, f).toBe(true);
        for (const field of Object.values(r.fields)) expect(field, f).toMatchObject({ confidence: 1, evidence: [], source: 'fhir' });
      }
    });
  }

  it('myringotomy: the referral example maps key, priority, clinic, reason and note', () => {
    const r = only(intake(read('ServiceRequest', 'servicerequest-example-myringotomy.json')));
    expect(r.key).toBe('http://orionhealth.com/fhir/apps/referralids|ret4421');
    expect(r.action).toBe('new');
    expect(values(r.fields)).toEqual({
      patientName: 'Beverly Weaver',
      referrerName: 'Serena Shrink',
      referredTo: { raw: 'ENT', specialty: null },
      statedPriority: 'routine',
      reason: 'For consideration of Grommets',
      referralDate: '2014-02-14',
    });
    expect(r.text).toContain('6 instances of rt-sided Otitis media');
  });

  it('stat becomes emergent; a reasonReference display is the reason; an identifier without system keys as |value', () => {
    const r = only(intake(read('ServiceRequest', 'servicerequest-example3.json')));
    expect(r.fields.statedPriority?.value).toBe('emergent');
    expect(r.fields.reason?.value).toBe('Patient has a spinal fracture');
    expect(only(intake(read('ServiceRequest', 'servicerequest-example-ambulation.json'))).key).toBe('|45678');
  });

  it('Communication: inline attachment decoded, url-only attachment listed as unresolved, contentString in text', () => {
    const r = only(intake(read('Communication', 'communication-example-fm-attachment.json')));
    expect(r.attachments).toEqual([{ contentType: 'application/pdf', data: Buffer.from('Hello'), title: 'accident notes 20100201.pdf' }]);
    expect(r.unresolved).toEqual(['http://example.org/docs/AB12345']);
    const alert = only(intake(read('Communication', 'communication-example.json')));
    expect(alert.text).toContain('very high serum potassium value (7.2 mmol/L');
  });

  it('DocumentReference whose content is only a url: nothing attached, the url unresolved', () => {
    const r = only(intake(read('DocumentReference', 'documentreference-example.json')));
    expect(r.attachments).toEqual([]);
    expect(r.unresolved).toEqual(['http://example.org/xds/mhd/Binary/07a6483f-732b-461e-86b6-edb665c45510']);
    expect(r.key).toBe('urn:ietf:rfc:3986|urn:oid:1.3.6.1.4.1.21367.2005.3.7');
  });

  it('the XDS transaction example: DocumentReference + Patient + Practitioner, the Binary found by its absolute url', () => {
    const r = only(intake(read('Bundle', 'xds-example.json')));
    expect(r.resourceType).toBe('DocumentReference');
    expect(values(r.fields)).toMatchObject({ patientName: 'John Doe', birthDate: '1956-05-27', referrerName: 'Gerald Smitty', referralDate: '2013-07-01' });
    expect(r.attachments).toEqual([{ contentType: 'text/plain', data: Buffer.from('asdasdasdasdasd'), title: 'Physical' }]);
    expect(r.unresolved).toEqual([]);
  });
});

describe('an invented EHR transaction', () => {
  it('validates, then maps every field', () => {
    const result = intake(referralBundle());
    expect(result.warnings).toEqual([]);
    const r = only(result);
    expect(r.key).toBe(REFERRAL_KEY);
    expect(r.action).toBe('new');
    expect(r.resourceType).toBe('ServiceRequest');
    expect(values(r.fields)).toEqual({
      patientName: 'Rosalind May Fenwick',
      birthDate: '1958-11-02',
      sex: 'female',
      mrn: 'MFP-0099812',
      identifiers: [
        { kind: 'mrn', value: 'MFP-0099812' },
        { kind: 'ssn', value: '999-12-3456' },
        { kind: 'other', value: 'L-77' },
      ],
      patientPhone: '555-0199',
      patientAddress: '12 Larch Lane, Apt 3, Springfield, IL, 62704',
      insurancePayer: 'Prairie Health Plan',
      insuranceMemberId: 'PHP-4418-22',
      referrerName: 'Omar Haddad',
      referrerNpi: '1234567893',
      referrerOrganization: 'Maple Family Practice',
      referrerPhone: '555-0200',
      referrerFax: '555-0300',
      referredTo: { raw: 'Cardiology clinic', specialty: null },
      statedPriority: 'urgent',
      reason: 'Exertional chest pain for 3 weeks; Stable angina',
      diagnoses: [
        { code: 'I20.9', text: 'Stable angina' },
        { code: 'E11.9', text: 'Type 2 diabetes mellitus without complications' },
      ],
      referralDate: '2025-03-14',
    });
    expect(referralFields.parse(r.fields)).toEqual(r.fields);
    expect(r.attachments).toEqual([
      { contentType: 'application/pdf', data: PDF, title: 'referral-letter.pdf' },
      { contentType: 'text/plain', data: LAB, title: 'labs.txt' },
    ]);
    // The ECG image is outside the Bundle; the Observation it mentions is not a document, so not listed.
    expect(r.unresolved).toEqual(['https://pacs.maple-fp.example/ecg/77.jpg']);
    expect(r.text.split('\n')).toEqual([
      'Referral (FHIR ServiceRequest)',
      'Patient: Rosalind May Fenwick',
      'Referred by: Omar Haddad, Maple Family Practice',
      'Request: Cardiology consultation; Patient referral',
      'Priority: urgent',
      'Referred to: Cardiology clinic',
      'Reason: Exertional chest pain for 3 weeks; Stable angina',
      'Diagnoses: Stable angina (I20.9); Type 2 diabetes mellitus without complications (E11.9)',
      'Pain on climbing stairs, relieved by rest.',
      'Father had MI at 52.',
      'Document: Referral letter - referral-letter.pdf - labs.txt',
    ]);
  });

  it.each([
    ['routine', 'routine'],
    ['urgent', 'urgent'],
    ['asap', 'urgent'],
    ['stat', 'emergent'],
  ] as const)('priority %s → %s', (priority, urgency) => {
    const b = referralBundle();
    (entry(b, 'urn:uuid:sr-1').resource as ServiceRequest).priority = priority;
    expect(only(intake(b)).fields.statedPriority?.value).toBe(urgency);
  });

  it('revoked or entered-in-error cancels; a PUT entry modifies', () => {
    for (const status of ['revoked', 'entered-in-error'] as const) {
      const b = referralBundle();
      (entry(b, 'urn:uuid:sr-1').resource as ServiceRequest).status = status;
      expect(only(intake(b))).toMatchObject({ action: 'cancel', key: REFERRAL_KEY });
    }
    const b = referralBundle();
    entry(b, 'urn:uuid:sr-1').request = { method: 'PUT', url: `ServiceRequest?identifier=${REFERRAL_KEY}` };
    expect(only(intake(b)).action).toBe('modify');
  });

  it('drops a value the contract refuses, with a warning, and keeps the rest', () => {
    const b = referralBundle();
    const prac = entry(b, 'urn:uuid:prac-1').resource as Extract<Resource, { resourceType: 'Practitioner' }>;
    prac.identifier = [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '12345' }];
    (entry(b, 'urn:uuid:pat-1').resource as Extract<Resource, { resourceType: 'Patient' }>).birthDate = '1958-11';
    const result = intake(b);
    const r = only(result);
    expect(r.fields.referrerNpi).toBeUndefined();
    expect(r.fields.birthDate).toBeUndefined();
    expect(r.fields.referrerName?.value).toBe('Omar Haddad');
    expect(result.warnings).toEqual([expect.stringMatching(/^urn:uuid:sr-1: birthDate dropped/), expect.stringMatching(/^urn:uuid:sr-1: referrerNpi dropped/)]);
  });
});
