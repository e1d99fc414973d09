// ms per document for extractFields on made-up one-page referrals (letter, form, fax, OCR form).
// Run: npx tsx packages/fields/src/bench-fields.ts [rounds]
import { extractFields } from './extract.ts';
import { CLINICS, ocrPage, plain } from './testing.ts';
import type { ExtractInput } from './types.ts';

const LETTER = `Dear Cardiology colleagues,
Re: Mr Orrin Vantablack, DOB 04/05/1958, MRN 4455123
I would be grateful if you could see this 66-year-old man with a three-week history of exertional chest
tightness radiating to the left arm. ECG today shows ST depression in V4-V6. He attended the emergency
department last year with palpitations. Bloods: Hb 131, eGFR 74, troponin pending. Please see urgently.
Dr A. Patel, Riverside Family Practice, NPI 1234567893, fax 555-201-3344`;

const FORM = `RIVERSIDE FAMILY PRACTICE
1200 Oak Avenue, Springfield, IL 62704
Phone: (217) 555-0142   Fax: (217) 555-0143

OUTPATIENT REFERRAL FORM                          Date: 03/14/2024
PATIENT INFORMATION
Patient Name: Quilla Marwick          DOB: 11/23/1975        Sex: F
MRN: RX4471902                        Phone: (217) 555-0199
Address: 42 Elm Street, Springfield, IL 62701
Insurance: Blue Cross Blue Shield     Member ID: XZ123456789
REFERRING PROVIDER
Name: Dr. Helen Carter, MD            NPI: 1234567893
REFERRAL
Refer to: Gastroenterology
Priority: [ ] Routine [X] Urgent [ ] Emergent
Reason for referral: Iron deficiency anaemia with intermittent rectal bleeding; please assess for colonoscopy.
Diagnosis/ICD-10: D50.9 Iron deficiency anemia, unspecified; K62.5 Hemorrhage of anus and rectum`;

const UK = `Meadowbank Surgery
14 Mill Lane, Hexham NE46 3AB
Tel: 01434 600 123  Fax: 01434 600 124

12 March 2024

Dear Colleague,

Re: Mrs Elowen Tregarthen   DOB: 07/09/1948   NHS No: 943 476 5919

Thank you for seeing this 75-year-old lady with progressive right hip pain over 18 months, now limiting
her walking to 100 yards despite regular analgesia. X-ray shows severe osteoarthritis of the right hip.
She previously attended the emergency department last year after a fall. This is a routine referral to
the orthopaedic clinic.

Yours sincerely,

Dr James O'Connor
GP Partner, Meadowbank Surgery`;

const OCR = ocrPage([
  [['REFERRAL FORM', 300]],
  [['Patient Name', 100], ['Date of Birth', 500], ['MRN', 800]],
  [['Robart Quenby', 100], ['O8/14/1962', 500], ['KX77812', 800]],
  [['Referring Physician', 100], ['NPI', 500]],
  [['Dr Susan Miller', 100], ['1234567893', 500]],
  [['Reason for referral', 100]],
  [['Worsening shortness of breath on exertion for three months', 100]],
  [['Priority: [ ] Routine [X] Urgent', 100]],
], 1, 90);

const docs: ExtractInput[] = [plain(LETTER), plain(FORM), plain(UK), OCR].map((p) => ({ pages: [p], clinics: CLINICS }));
const rounds = Number(process.argv[2] ?? 200);
for (const d of docs) extractFields(d); // warm-up: regex compilation and JIT
const t0 = performance.now();
for (let r = 0; r < rounds; r++) for (const d of docs) extractFields(d);
const ms = (performance.now() - t0) / (rounds * docs.length);
console.log(`extractFields: ${ms.toFixed(2)} ms/document over ${rounds * docs.length} one-page documents`);
