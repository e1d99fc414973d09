// No imports: format.ts names missing fields in reasons, and field-format.ts builds on format.ts.

const LABELS: Record<string, string> = {
  patientName: 'Patient name',
  birthDate: 'Date of birth',
  sex: 'Sex',
  mrn: 'MRN',
  identifiers: 'Identifiers',
  patientPhone: 'Patient phone',
  patientAddress: 'Patient address',
  insurancePayer: 'Insurance payer',
  insuranceMemberId: 'Insurance member ID',
  referrerName: 'Referrer',
  referrerNpi: 'Referrer NPI',
  referrerOrganization: 'Referring organization',
  referrerPhone: 'Referrer phone',
  referrerFax: 'Referrer fax',
  referredTo: 'Referred to',
  statedPriority: 'Stated priority',
  reason: 'Reason',
  diagnoses: 'Diagnoses',
  referralDate: 'Referral date',
};
export const fieldLabel = (name: string) => LABELS[name] ?? name;

const SOURCES: Record<string, string> = {
  text: 'text',
  acroform: 'form field',
  'ocr-layout': 'OCR layout',
  hl7: 'HL7',
  fhir: 'FHIR',
  reviewer: 'reviewer',
};
export const sourceLabel = (s: string) => SOURCES[s] ?? s;
