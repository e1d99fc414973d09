/** Made-up referral letters for tests; the patient name is a canary that must never leave the document. */
export const CANARY_NAME = 'Zebediah Quarrington';

export const CARDIO_LETTER = `Dear Cardiology team,
Re: ${CANARY_NAME}, DOB 03/04/1961, MRN 88812345
I would be grateful if you could see this 64-year-old man with exertional chest tightness and palpitations
over the last three months. ECG shows atrial fibrillation with a ventricular rate of 110. Echocardiogram
shows mild left ventricular hypertrophy. Blood pressure 150/90. He has hypertension and hyperlipidaemia.
Please assess for coronary artery disease and rate control of his atrial fibrillation.
Yours sincerely, Dr A. Example, General Practitioner`;

export const ORTHO_LETTER = `Referral to Orthopaedics
Patient: ${CANARY_NAME}
Date of birth: 12/09/1967
This 58-year-old woman has had right knee pain for two years with locking and giving way.
X-ray shows medial compartment osteoarthritis with joint space narrowing. She has failed physiotherapy
and steroid injection. Please consider total knee arthroplasty.`;

export const URO_LETTER = `Dear Urology colleagues,
Re: ${CANARY_NAME}, DOB 21/07/1953
72-year-old man with lower urinary tract symptoms, nocturia and a raised PSA of 8.2.
Digital rectal examination: enlarged prostate, no nodules. Please see for assessment and prostate biopsy.`;

export const SCAN_TEXT = `REFERRAL
Patient: Ada Lovelock
DOB: 02/11/1970
Patient has kidney stones
with severe flank pain
and hematuria. Please
see in urology clinic.`;

/** Trips the cauda-equina red-flag rule (raise to emergent). */
export const BACK_LETTER = `Dear colleague,
Re: ${CANARY_NAME}, DOB 14/02/1980
45-year-old man with low back pain for a week, now with saddle anaesthesia and new urinary retention.
Please see him.`;
