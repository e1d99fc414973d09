// interpretFhir on the other shapes a sender may use: several referrals, documents only, a lone Communication,
// contained and relative references, payloads that are FHIR but not a referral.
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { interpretFhir, type FhirIntake } from './interpret.ts';
import { FhirIntakeError } from './outcome.ts';
import { validateFhir } from './validate.ts';

function intake(json: unknown): FhirIntake {
  const v = validateFhir(json);
  if (!v.ok) throw new Error(JSON.stringify(v.outcome.issue));
  return interpretFhir(v.resource);
}
const b64 = (s: string) => Buffer.from(s).toString('base64');
const post = (fullUrl: string, resource: Record<string, unknown>): BundleEntry =>
  ({ fullUrl, resource: resource as unknown as Resource, request: { method: 'POST', url: String(resource.resourceType) } });
const transaction = (...entry: BundleEntry[]): Bundle => ({ resourceType: 'Bundle', type: 'transaction', entry });
const patient = (url: string, family: string) => post(url, { resourceType: 'Patient', name: [{ given: ['Test'], family }] });
const request = (url: string, subject: string, extra: Record<string, unknown> = {}) =>
  post(url, { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: subject }, ...extra });
const letter = (url: string, subject: string, text: string, extra: Record<string, unknown> = {}) =>
  post(url, { resourceType: 'DocumentReference', status: 'current', subject: { reference: subject }, content: [{ attachment: { contentType: 'text/plain', data: b64(text) } }], ...extra });
const texts = (i: FhirIntake) => i.referrals.map((r) => r.attachments.map((a) => a.data.toString()));

function refusal(resource: unknown) {
  try {
    interpretFhir(resource as Resource);
  } catch (err) {
    expect(err).toBeInstanceOf(FhirIntakeError);
    return (err as FhirIntakeError).outcome.issue[0];
  }
  throw new Error('expected FhirIntakeError');
}

describe('Bundles with several referrals or none', () => {
  it('one referral per ServiceRequest; loose documents go to the request they name, unlinked ones are ignored', () => {
    const result = intake(
      transaction(
        request('urn:uuid:sr-a', 'urn:uuid:pa', { identifier: [{ value: 'A' }] }),
        request('urn:uuid:sr-b', 'urn:uuid:pb', { identifier: [{ value: 'B' }] }),
        patient('urn:uuid:pa', 'Alpha'),
        patient('urn:uuid:pb', 'Beta'),
        letter('urn:uuid:d1', 'urn:uuid:pb', 'for B', { context: { related: [{ reference: 'urn:uuid:sr-b' }] } }),
        letter('urn:uuid:d2', 'urn:uuid:pa', 'for nobody'),
      ),
    );
    expect(result.referrals.map((r) => [r.key, r.fields.patientName?.value])).toEqual([
      ['|A', 'Test Alpha'],
      ['|B', 'Test Beta'],
    ]);
    expect(texts(result)).toEqual([[], ['for B']]);
    expect(result.warnings).toEqual(['urn:uuid:d2: not linked to a ServiceRequest (context.related, basedOn, about); ignored']);
  });

  it('with a single ServiceRequest, loose DocumentReferences and Binaries are its documents', () => {
    const result = intake(
      transaction(
        request('urn:uuid:sr', 'urn:uuid:p'),
        patient('urn:uuid:p', 'Solo'),
        letter('urn:uuid:d', 'urn:uuid:p', 'letter'),
        post('urn:uuid:bin', { resourceType: 'Binary', contentType: 'image/png', data: b64('png') }),
      ),
    );
    expect(texts(result)).toEqual([['letter', 'png']]);
    expect(result.referrals[0]?.attachments[1]?.contentType).toBe('image/png');
  });

  it('documents without a ServiceRequest: one referral per patient, the subject giving the patient', () => {
    const result = intake(
      transaction(
        patient('urn:uuid:p1', 'One'),
        patient('urn:uuid:p2', 'Two'),
        letter('urn:uuid:d1', 'urn:uuid:p1', 'letter 1', { masterIdentifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.3' } }),
        letter('urn:uuid:d2', 'urn:uuid:p1', 'labs 1'),
        letter('urn:uuid:d3', 'urn:uuid:p2', 'letter 2'),
      ),
    );
    expect(result.referrals.map((r) => [r.resourceType, r.key, r.fields.patientName?.value])).toEqual([
      ['DocumentReference', 'urn:ietf:rfc:3986|urn:oid:1.2.3', 'Test One'],
      ['DocumentReference', null, 'Test Two'],
    ]);
    expect(texts(result)).toEqual([['letter 1', 'labs 1'], ['letter 2']]);
  });

  it('refuses a Bundle with nothing to triage, a document Bundle, and a lone Patient', () => {
    expect(refusal(transaction(patient('urn:uuid:p', 'X')))).toMatchObject({ severity: 'error', code: 'required', expression: ['Bundle.entry'] });
    expect(refusal({ resourceType: 'Bundle', type: 'document', entry: [] })).toMatchObject({ code: 'invalid', expression: ['Bundle.type'] });
    expect(refusal({ resourceType: 'Patient' })).toMatchObject({ code: 'not-supported', expression: ['resourceType'] });
  });

  it('warns about a DELETE entry instead of guessing what it withdraws', () => {
    const b = transaction(request('urn:uuid:sr', 'urn:uuid:p'), patient('urn:uuid:p', 'Del'));
    b.entry!.push({ request: { method: 'DELETE', url: 'ServiceRequest?identifier=|OLD-1' } });
    expect(intake(b).warnings).toEqual([expect.stringContaining('DELETE ServiceRequest?identifier=|OLD-1 ignored')]);
  });
});

describe('references', () => {
  it('resolves #contained, and relative Type/id against absolute fullUrls', () => {
    const result = intake(
      transaction(
        post('http://ehr.example/fhir/ServiceRequest/9', {
          resourceType: 'ServiceRequest',
          id: '9',
          contained: [{ resourceType: 'Practitioner', id: 'ref', name: [{ text: 'Dr Contained' }], telecom: [{ system: 'phone', value: '555-0400' }] }],
          status: 'active',
          intent: 'order',
          subject: { reference: 'Patient/123' },
          requester: { reference: '#ref' },
          performer: [{ reference: 'PractitionerRole/derm' }],
        }),
        post('http://ehr.example/fhir/Patient/123', { resourceType: 'Patient', id: '123', name: [{ text: 'Text Only Name' }], gender: 'unknown' }),
        post('http://ehr.example/fhir/PractitionerRole/derm', { resourceType: 'PractitionerRole', id: 'derm', specialty: [{ coding: [{ display: 'Dermatology' }] }] }),
      ),
    );
    expect(result.referrals[0]?.fields).toMatchObject({
      patientName: { value: 'Text Only Name' },
      sex: { value: 'unknown' },
      referrerName: { value: 'Dr Contained' },
      referrerPhone: { value: '555-0400' },
      referredTo: { value: { raw: 'Dermatology', specialty: null } },
    });
    expect(result.warnings).toEqual([]);
  });

  it('an Organization performer names the clinic; an Organization requester is the referring organization', () => {
    const r = intake(
      transaction(
        request('urn:uuid:sr', 'urn:uuid:p', { performer: [{ reference: 'urn:uuid:o1' }], requester: { reference: 'urn:uuid:o2' } }),
        patient('urn:uuid:p', 'Org'),
        post('urn:uuid:o1', { resourceType: 'Organization', name: 'Lakeside Sleep Clinic' }),
        post('urn:uuid:o2', { resourceType: 'Organization', name: 'Northgate Medical', telecom: [{ system: 'fax', value: '555-0500' }] }),
      ),
    ).referrals[0]!;
    expect(r.fields.referredTo?.value.raw).toBe('Lakeside Sleep Clinic');
    expect(r.fields.referrerOrganization?.value).toBe('Northgate Medical');
    expect(r.fields.referrerFax?.value).toBe('555-0500');
    expect(r.fields.referrerName).toBeUndefined();
  });

  it('a supportingInfo Binary is attached; a missing DocumentReference is listed as unresolved', () => {
    const r = intake(
      transaction(
        request('urn:uuid:sr', 'urn:uuid:p', { supportingInfo: [{ reference: 'urn:uuid:bin' }, { reference: 'DocumentReference/elsewhere' }] }),
        patient('urn:uuid:p', 'Bin'),
        post('urn:uuid:bin', { resourceType: 'Binary', contentType: 'application/pdf', data: b64('%PDF-1.7') }),
      ),
    ).referrals[0]!;
    expect(r.attachments.map((a) => a.data.toString())).toEqual(['%PDF-1.7']);
    expect(r.unresolved).toEqual(['DocumentReference/elsewhere']);
  });
});

describe('a single Communication', () => {
  it('is one referral: text from contentString, files from contentAttachment, sender and priority mapped', () => {
    const r = intake({
      resourceType: 'Communication',
      identifier: [{ system: 'urn:oid:2.16.840.1.113883.3.9999', value: 'C-1' }],
      contained: [{ resourceType: 'Practitioner', id: 's', name: [{ given: ['Ines'], family: 'Okafor' }] }],
      status: 'completed',
      priority: 'asap',
      subject: { display: 'Walter Pike' },
      sender: { reference: '#s' },
      sent: '2025-02-01T08:00:00Z',
      payload: [
        { contentString: 'Please see   this patient for\nprogressive dyspnoea.' },
        { contentAttachment: { contentType: 'application/pdf', data: b64('%PDF-1.4 letter'), title: 'letter.pdf' } },
      ],
    });
    const ref = r.referrals[0]!;
    expect(ref).toMatchObject({ key: 'urn:oid:2.16.840.1.113883.3.9999|C-1', action: 'new', resourceType: 'Communication' });
    expect(ref.text).toContain('Please see this patient for\nprogressive dyspnoea.');
    expect(ref.fields).toMatchObject({
      patientName: { value: 'Walter Pike' },
      referrerName: { value: 'Ines Okafor' },
      statedPriority: { value: 'urgent' },
      referralDate: { value: '2025-02-01' },
    });
    expect(ref.attachments).toEqual([{ contentType: 'application/pdf', data: Buffer.from('%PDF-1.4 letter'), title: 'letter.pdf' }]);
    expect(r.warnings).toEqual([]);
  });
});
