// An invented referral (made-up patient and clinicians) as an EHR would send it: one transaction Bundle.
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n', 'latin1');
export const LAB = Buffer.from('HbA1c 9.1% (2025-03-01)\n', 'utf8');
export const REFERRAL_KEY = 'https://maple-fp.example/referrals|R-2025-0042';

const post = (fullUrl: string, resource: Resource): BundleEntry => ({ fullUrl, resource, request: { method: 'POST', url: resource.resourceType } });

export function referralBundle(): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      post('urn:uuid:sr-1', {
        resourceType: 'ServiceRequest',
        identifier: [{ system: 'https://maple-fp.example/referrals', value: 'R-2025-0042' }],
        status: 'active',
        intent: 'order',
        priority: 'urgent',
        category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }] }],
        code: { text: 'Cardiology consultation' },
        subject: { reference: 'urn:uuid:pat-1' },
        authoredOn: '2025-03-14T09:30:00-05:00',
        requester: { reference: 'urn:uuid:role-1' },
        performerType: { coding: [{ system: 'http://snomed.info/sct', code: '17561000', display: 'Cardiologist' }], text: 'Cardiology clinic' },
        reasonCode: [{ text: 'Exertional chest pain for 3 weeks' }],
        reasonReference: [{ reference: 'urn:uuid:cond-1' }],
        insurance: [{ reference: 'urn:uuid:cov-1' }],
        supportingInfo: [{ reference: 'urn:uuid:doc-1' }, { reference: 'Observation/ecg-77' }],
        note: [{ text: 'Pain on climbing stairs, relieved by rest.\nFather had MI at 52.' }],
      }),
      post('urn:uuid:pat-1', {
        resourceType: 'Patient',
        identifier: [
          { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'https://maple-fp.example/patients', value: 'MFP-0099812' },
          { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-12-3456' },
          { system: 'https://example.org/loyalty', value: 'L-77' },
        ],
        name: [
          { use: 'old', family: 'Quill', given: ['Rosalind'] },
          { use: 'official', family: 'Fenwick', given: ['Rosalind', 'May'] },
        ],
        telecom: [
          { system: 'email', value: 'r.fenwick@example.org' },
          { system: 'phone', use: 'work', value: '555-0101' },
          { system: 'phone', use: 'mobile', value: '555-0199' },
        ],
        gender: 'female',
        birthDate: '1958-11-02',
        address: [{ use: 'home', line: ['12 Larch Lane', 'Apt 3'], city: 'Springfield', state: 'IL', postalCode: '62704' }],
      }),
      post('urn:uuid:role-1', {
        resourceType: 'PractitionerRole',
        practitioner: { reference: 'urn:uuid:prac-1' },
        organization: { reference: 'urn:uuid:org-1' },
        telecom: [{ system: 'fax', value: '555-0300' }],
      }),
      post('urn:uuid:prac-1', {
        resourceType: 'Practitioner',
        identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }],
        name: [{ prefix: ['Dr'], given: ['Omar'], family: 'Haddad' }],
        telecom: [
          { system: 'phone', use: 'work', value: '555-0200' },
          { system: 'fax', value: '555-0201' },
        ],
      }),
      post('urn:uuid:org-1', { resourceType: 'Organization', name: 'Maple Family Practice' }),
      post('urn:uuid:org-2', { resourceType: 'Organization', name: 'Prairie Health Plan' }),
      post('urn:uuid:cov-1', {
        resourceType: 'Coverage',
        status: 'active',
        beneficiary: { reference: 'urn:uuid:pat-1' },
        payor: [{ reference: 'urn:uuid:org-2' }],
        subscriberId: 'PHP-4418-22',
      }),
      post('urn:uuid:cond-1', {
        resourceType: 'Condition',
        subject: { reference: 'urn:uuid:pat-1' },
        code: { coding: [{ system: 'http://snomed.info/sct', code: '194828000', display: 'Angina' }, { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'I20.9', display: 'Angina pectoris, unspecified' }], text: 'Stable angina' },
      }),
      // Not referenced by the ServiceRequest: found because it is about the same patient.
      post('urn:uuid:cond-2', {
        resourceType: 'Condition',
        subject: { reference: 'urn:uuid:pat-1' },
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9', display: 'Type 2 diabetes mellitus without complications' }] },
      }),
      post('urn:uuid:doc-1', {
        resourceType: 'DocumentReference',
        status: 'current',
        type: { text: 'Referral letter' },
        subject: { reference: 'urn:uuid:pat-1' },
        content: [
          { attachment: { contentType: 'application/pdf', data: PDF.toString('base64'), title: 'referral-letter.pdf' } },
          { attachment: { contentType: 'text/plain', url: 'urn:uuid:bin-1', title: 'labs.txt' } },
          { attachment: { contentType: 'image/jpeg', url: 'https://pacs.maple-fp.example/ecg/77.jpg' } },
        ],
      }),
      post('urn:uuid:bin-1', { resourceType: 'Binary', contentType: 'text/plain', data: LAB.toString('base64') }),
    ],
  };
}
