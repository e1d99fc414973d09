import { plain } from './testing.ts';
export const docs2 = {
  brief: { pages: [plain(`Referral: Neurology
Patient: SMITH, Laura (F) DOB 1983-02-17
Hx: 2 episodes of transient left arm weakness lasting 20 min. Please see within 1 week - ?TIA.
From: Dr. K. Osei, Maple Street Clinic. Tel 020 7946 0958`)] },
  fax: { pages: [plain(`FAX COVER SHEET
To: Sleep Clinic          Fax: 555-301-2200
From: Lakeside Internal Medicine   Fax: 555-301-9911
Date: June 3, 2024
Pages: 2

RE: Referral - Thomas Baker
DOB: 9/12/1971   Gender: Male
Insurance: Aetna PPO   Policy #: W987654321
Reason: Loud snoring, witnessed apnoeas, daytime somnolence. ESS 16.
Referring: Dr. Rachel Kim MD  NPI 1234567893
Urgency: Routine`)] },
  ocrText: { pages: [{ pageNo: 1, source: 'ocr' as const, text: `REFERRAL REQUEST
Pt Name MARY J0NES   D0B O3/O4/197O
Sex F   Phone 555 4O1 2277
Referred by Dr Ahmed Raza   NPl 1234567893
Specia1ty requested Rheumato1ogy
Reason for referral swollen painful hands, morning stiffness 2 hrs` }] },
  splitName: { pages: [plain(`NEW PATIENT REFERRAL
Last Name: Okafor          First Name: Chidi
Date of Birth: 30.01.2001
Sex: [X] Male [ ] Female
Medicare #: 1EG4-TE5-MK73
Specialty: [ ] Cardiology [X] Urology [ ] Nephrology
Requesting physician: Sarah Lopez, NP
Practice: Eastside Health Center   Phone: 555-777-1000   Fax: 555-777-1001`)] },
  twoWeek: { pages: [plain(`URGENT - SUSPECTED CANCER (2WW)

Dear Colorectal Team,

Re: Mr Peter Walsh, 14/02/1950, Hosp No K7781234

Many thanks for seeing Mr Walsh, a 74 year old gentleman with 6 weeks of change in bowel habit and weight loss of 5 kg. FIT positive.

Best wishes

Dr Fiona MacLeod MBChB MRCGP
Hillview Medical Practice`)] },
  personal: { pages: [plain(`Dear Dr Nguyen,

I am referring Mrs Anna Kowalski (DOB 2 February 1967) to your rheumatology clinic for assessment of a possible inflammatory arthritis. She has had bilateral wrist and MCP swelling for three months. CRP 34.

She was seen by orthopaedics in 2019 for a shoulder problem.

Sincerely,
Mark Ellison, MD
Brookside Primary Care
Phone: (614) 555-0180`)] },
};
