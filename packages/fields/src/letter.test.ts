import { describe, expect, it } from 'vitest';
import { extractFields } from './extract.ts';
import { CLINICS, TODAY, plain, problems } from './testing.ts';

const read = (text: string) => {
  const input = { pages: [plain(text)], clinics: CLINICS, today: TODAY };
  const r = extractFields(input);
  expect(problems(r, input)).toEqual([]);
  return r.fields;
};
const slice = (text: string, e: { start: number; end: number }) => text.slice(e.start, e.end);

const ISSUE = `Dear Cardiology colleagues,
Re: Mr John Smith, DOB 04/05/1958, MRN 4455123
I would be grateful if you could see this 66-year-old man with a three-week history of exertional chest
tightness radiating to the left arm ... ECG today shows ST depression in V4-V6 ... Please see urgently.
Dr A. Patel, Riverside Family Practice, NPI 1234567893, fax 555-201-3344`;

describe('a typed letter', () => {
  it("reads the issue's letter the way a scheduler does", () => {
    const f = read(ISSUE);
    expect(f.patientName?.value).toBe('John Smith');
    expect(slice(ISSUE, f.patientName!.evidence[0]!)).toBe('John Smith');
    expect(f.birthDate?.value).toBe('1958-04-05');
    expect(slice(ISSUE, f.birthDate!.evidence[0]!)).toBe('04/05/1958');
    expect(f.mrn?.value).toBe('4455123');
    // An MRN alone is the mrn field; identifiers would list it with any others.
    expect(f.identifiers).toBeUndefined();
    expect(f.sex?.value).toBe('male');
    expect(f.referredTo?.value).toEqual({ raw: 'Cardiology', specialty: 'Cardiovascular / Pulmonary' });
    expect(f.statedPriority?.value).toBe('urgent');
    expect(f.referrerName?.value).toMatch(/^(Dr )?A\. Patel$/);
    expect(f.referrerOrganization?.value).toBe('Riverside Family Practice');
    expect(f.referrerNpi?.value).toBe('1234567893');
    expect(f.referrerFax?.value).toBe('555-201-3344');
    expect(f.reason?.value).toMatch(/^I would be grateful if you could see this 66-year-old man with a three-week history/);
    expect(f.reason!.value.length).toBeLessThanOrEqual(300);
    // Explicit labels with passing checks read high; the US default reading of 04/05 a little less.
    expect(f.referrerNpi!.confidence).toBeGreaterThanOrEqual(0.9);
    expect(f.mrn!.confidence).toBeGreaterThanOrEqual(0.9);
    expect(f.birthDate!.confidence).toBeLessThan(f.mrn!.confidence);
    expect(f.patientPhone).toBeUndefined();
  });

  it('reads a UK letter: letterhead, dated line, addressee block, NHS number, signature', () => {
    const text = `Meadowbank Surgery
14 Mill Lane, Hexham NE46 3AB
Tel: 01434 600 123  Fax: 01434 600 124

12 March 2024

Orthopaedic Department
Queen Elizabeth Hospital

Dear Colleague,

Re: Mrs Elowen Tregarthen   DOB: 07/09/1948   NHS No: 943 476 5919
Address: 3 Church Row, Hexham NE46 1PQ

Thank you for seeing this 75-year-old lady with progressive right hip pain over 18 months, now limiting
her walking to 100 yards despite regular analgesia. X-ray shows severe osteoarthritis. She attended the
emergency department last year after a fall. This is a routine referral.

Yours sincerely,

Dr James O'Connor
GP Partner
Meadowbank Surgery`;
    const f = read(text);
    expect(f.patientName?.value).toBe('Elowen Tregarthen');
    // An NHS number makes this a day-first document.
    expect(f.birthDate?.value).toBe('1948-09-07');
    expect(f.identifiers?.value).toEqual([{ kind: 'nhs', value: '943 476 5919' }]);
    expect(f.mrn).toBeUndefined();
    expect(f.sex?.value).toBe('female');
    expect(f.patientAddress?.value).toBe('3 Church Row, Hexham NE46 1PQ');
    expect(f.referralDate?.value).toBe('2024-03-12');
    expect(f.referredTo?.value.specialty).toBe('Orthopedic');
    // "emergency department last year" is history, not the priority asked for.
    expect(f.statedPriority?.value).toBe('routine');
    expect(f.statedPriority?.conflicts).toBeUndefined();
    expect(f.referrerName?.value).toBe("James O'Connor");
    expect(f.referrerOrganization?.value).toBe('Meadowbank Surgery');
    expect(f.referrerPhone?.value).toBe('01434 600 123');
    expect(f.referrerFax?.value).toBe('01434 600 124');
  });

  it('finds the clinic in the request sentence and leaves a clinic from the history alone', () => {
    const text = `Dear Dr Nguyen,

I am referring Mrs Anna Kowalczyk (DOB 2 February 1967) to your rheumatology clinic for assessment of a possible
inflammatory arthritis. She has had bilateral wrist and MCP swelling for three months. CRP 34.

She was seen by orthopaedics in 2019 for a shoulder problem.

Sincerely,
Mark Ellison, MD
Brookside Primary Care
Phone: (614) 555-0180`;
    const f = read(text);
    expect(f.patientName?.value).toBe('Anna Kowalczyk');
    expect(f.birthDate?.value).toBe('1967-02-02');
    expect(f.referredTo?.value).toMatchObject({ specialty: 'Rheumatology' });
    expect(f.referredTo?.conflicts).toBeUndefined();
    expect(f.referrerName?.value).toBe('Mark Ellison');
    expect(f.referrerOrganization?.value).toBe('Brookside Primary Care');
    expect(f.referrerPhone?.value).toBe('(614) 555-0180');
    expect(f.statedPriority).toBeUndefined();
  });

  it('reads a negated urgency as routine', () => {
    const f = read(`Dear Dermatology team,

I would be grateful if you could review Ms Priya Shankar, a 34-year-old woman with a changing mole on her back.
This is not urgent; please see at your convenience.

Kind regards,
Dr Tom Hughes`);
    expect(f.statedPriority?.value).toBe('routine');
    expect(f.statedPriority?.conflicts).toBeUndefined();
    expect(f.referredTo?.value).toEqual({ raw: 'Dermatology', specialty: 'Dermatology' });
    expect(f.patientName?.value).toBe('Priya Shankar');
    expect(f.sex?.value).toBe('female');
    expect(f.referrerName?.value).toBe('Tom Hughes');
  });

  it('gives no clinic and no priority for a letter that names neither', () => {
    const f = read(`To whom it may concern,

I am writing about Mr Alan Brookfield who has had knee pain for two years. He was seen in the emergency
department last year and urgently admitted for a day. X-ray shows arthritis of the medial compartment.

Regards,
Dr Kim Lee`);
    expect(f.referredTo).toBeUndefined();
    expect(f.statedPriority).toBeUndefined();
    expect(f.patientName?.value).toBe('Alan Brookfield');
    expect(f.referrerName?.value).toBe('Kim Lee');
  });

  it('reads a 2-week-wait heading, a bare date in the Re line and a team salutation', () => {
    const f = read(`URGENT - SUSPECTED CANCER (2WW)

Dear Colorectal Team,

Re: Mr Peter Walsworth, 14/02/1950, Hosp No K7781234

Many thanks for seeing Mr Walsworth, a 74 year old gentleman with 6 weeks of change in bowel habit and weight
loss of 5 kg. FIT positive.

Best wishes

Dr Fiona MacLeod MBChB MRCGP
Hillview Medical Practice`);
    expect(f.statedPriority?.value).toBe('urgent');
    expect(f.referredTo?.value.specialty).toBe('Surgery');
    expect(f.patientName?.value).toBe('Peter Walsworth');
    expect(f.birthDate?.value).toBe('1950-02-14');
    // A date with no label in the Re line is a guess, below a labelled one.
    expect(f.birthDate!.confidence).toBeLessThan(0.9);
    expect(f.mrn?.value).toBe('K7781234');
    expect(f.referrerName?.value).toBe('Fiona MacLeod');
    expect(f.referrerOrganization?.value).toBe('Hillview Medical Practice');
  });

  it('reads "please see within a week" as urgent and an emergency request as emergent', () => {
    expect(read('Dear Neurology colleagues,\nRe: Ms Ada Quint\nTransient left arm weakness. Please see within 1 week.\nDr B. Ode').statedPriority?.value).toBe('urgent');
    expect(read('Dear Ophthalmology,\nRe: Mr Ben Yarrow\nSudden painless loss of vision this morning. Please see him as an emergency today.\nDr B. Ode').statedPriority?.value).toBe('emergent');
    expect(read('Re: Mr Ben Yarrow\nHe had emergency surgery in 2010 and now has a hernia. Please see in clinic.\nDr B. Ode').statedPriority).toBeUndefined();
  });
});
