import { extractFields } from './extract.ts';
import { CLINICS, TODAY, ocrPage, plain } from './testing.ts';
import type { ExtractInput } from './types.ts';
import { docs2 } from './zz-docs2.ts';

const docs: Record<string, Omit<ExtractInput, 'clinics'>> = {
  formUS: { pages: [plain(`RIVERSIDE FAMILY PRACTICE
1200 Oak Avenue, Springfield, IL 62704
Phone: (217) 555-0142   Fax: (217) 555-0143

OUTPATIENT REFERRAL FORM
Date: 03/14/2024

PATIENT INFORMATION
Patient Name: Maria Gonzalez          DOB: 11/23/1975
Sex: F                                MRN: RX4471902
Address: 42 Elm Street, Springfield, IL 62701
Phone: (217) 555-0199
Insurance: Blue Cross Blue Shield     Member ID: XZ123456789

REFERRING PROVIDER
Name: Dr. Helen Carter, MD            NPI: 1234567893
Phone: (217) 555-0142                 Fax: (217) 555-0143

REFERRAL
Refer to: Gastroenterology
Priority: [ ] Routine [X] Urgent [ ] Emergent
Reason for referral: Iron deficiency anaemia with intermittent rectal bleeding; please assess for colonoscopy.
Diagnosis/ICD-10: D50.9 Iron deficiency anemia, unspecified; K62.5 Hemorrhage of anus and rectum`)] },
  letterUK: { pages: [plain(`Meadowbank Surgery
14 Mill Lane, Hexham NE46 3AB
Tel: 01434 600 123  Fax: 01434 600 124

12 March 2024

Orthopaedic Department
Queen Elizabeth Hospital

Dear Colleague,

Re: Mrs Eleanor Whitfield   DOB: 07/09/1948   NHS No: 943 476 5919
Address: 3 Church Row, Hexham NE46 1PQ

Thank you for seeing this 75-year-old lady with progressive right hip pain over 18 months, now limiting her walking to 100 yards despite regular analgesia. X-ray shows severe osteoarthritis. She previously attended the emergency department last year after a fall. This is a routine referral.

Yours sincerely,

Dr James O'Connor
GP Partner
Meadowbank Surgery`)] },
  ocr: { pages: [ocrPage([
    [['REFERRAL FORM', 300]],
    [['Patient Name', 100], ['Date of Birth', 500]],
    [['Robert Chen', 100], ['O8/14/1962', 500]],
    [['Referring Physician', 100], ['NPI', 500]],
    [['Dr Susan Miller', 100], ['1234567893', 500]],
    [['Reason for referral', 100]],
    [['Worsening shortness of breath on exertion', 100]],
  ], 1, 91)] },
  conflict: { pages: [plain(`Patient: Jane Doe   DOB: 04/05/1958\nReferred by: Dr Amy Lin\n\nNotes: Date of birth: 12/01/1960. Priority: routine`)] },
  badNpi: { pages: [plain(`Referring physician: Dr Paul Grant\nNPI: 1234567890\nPhone: 555-12`)] },
  negation: { pages: [plain(`Dear Dermatology team,\n\nI would be grateful if you could review Ms Priya Shah, a 34-year-old woman with a changing mole on her back. This is not urgent; please see at your convenience.\n\nKind regards,\nDr Tom Hughes`)] },
  noClinic: { pages: [plain(`To whom it may concern,\n\nI am writing about Mr Alan Brooks who has had knee pain for two years. He was seen in the emergency department last year. X-ray shows arthritis.\n\nRegards,\nDr Kim Lee`)] },
  acro: { pages: [plain('REFERRAL FORM\nPatient Name:\nDate of birth:\n')], acroform: [
    { name: 'Patient Name', page: 1, kind: 'text', value: 'Oliver Twist' },
    { name: 'patient_dob', page: 1, kind: 'text', value: '1990-02-28' },
    { name: 'ReferringDr', page: 1, kind: 'text', value: 'Dr. Nancy Bell' },
    { name: 'chkUrgent', page: 1, kind: 'checkbox', value: 'Yes', checked: true },
    { name: 'chkRoutine', page: 1, kind: 'checkbox', value: null, checked: false },
    { name: 'form1[0].Specialty[0]', page: 1, kind: 'dropdown', value: 'Neurology' },
    { name: 'ProviderNPI', page: 1, kind: 'text', value: '1234567893' },
    { name: 'PtPhone', page: 1, kind: 'text', value: '(555) 201-7788' },
  ] },
};
const which = process.argv[2] === '2' ? docs2 : docs;
for (const [name, d] of Object.entries(which as typeof docs)) {
  const t0 = performance.now();
  const r = extractFields({ ...d, clinics: CLINICS, today: TODAY });
  console.log(`\n== ${name} (${(performance.now() - t0).toFixed(1)} ms)`);
  for (const [k, f] of Object.entries(r.fields)) {
    const ev = f.evidence.map((e) => JSON.stringify(d.pages.find((p) => p.pageNo === e.page)!.text.slice(e.start, e.end)) + (e.box ? '[box]' : '')).join(' | ');
    console.log(' ', k, JSON.stringify(f.value), f.confidence, f.source, ev, f.conflicts ? 'CONFLICTS ' + JSON.stringify(f.conflicts) : '');
  }
}
