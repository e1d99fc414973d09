// Letter styles with a letterhead: a GP letter with a Re: line, a UK NHS letter, a US letter with NPI and insurance.
import { addressee, ageWords, inline, letterhead, lines, opt, pronoun, reasonSentence, signOff } from './compose.ts';
import type { FieldWriter } from './writer.ts';

function idPart(w: FieldWriter): string | null {
  const { d, c } = w;
  if (c.locale === 'uk' && d.chance(0.6)) {
    const nhs = w.nhsNumber();
    if (nhs) return `${d.pick(['NHS No: ', 'NHS number ', 'NHS No. '])}${nhs}`;
  }
  const mrn = w.mrn();
  return mrn && `${d.pick(['MRN: ', 'Hosp No: ', 'Patient ID: ', 'Chart #'])}${mrn}`;
}

export function gpLetter(w: FieldWriter): string[] {
  const { d } = w;
  const head = letterhead(w);
  const date = w.referralDate();
  const { to, dear } = addressee(w);
  const name = w.patientName();
  const dob = w.birthDate();
  const reParts = inline(', ', name, dob && `${d.pick(['DOB ', 'DOB: ', 'born ', 'D.O.B. '])}${dob}`, idPart(w));
  const re = reParts && `${d.pick(['Re: ', 'RE: ', 'Re '])}${reParts}`;
  const addr = w.patientAddress();
  const phone = w.patientPhone();
  const sex = d.chance(0.3) ? w.sex('word') : null;
  const diagnosis = w.diagnosis();
  const priority = w.priority('sentence');
  const body = lines(reasonSentence(w), '', w.history(), diagnosis && `\n${d.pick(['Diagnosis: ', 'Working diagnosis: ', 'Problem: '])}${diagnosis}`, priority && `\n${priority}`);
  return [
    lines(
      head,
      '',
      date,
      '',
      to,
      '',
      re,
      addr && (d.chance(0.5) ? `     ${addr.join(', ')}` : addr.join('\n')),
      opt(d.pick(['Tel: ', 'Home tel: ', 'Phone: ']), phone),
      opt('Sex: ', sex),
      '',
      dear,
      '',
      body,
      '',
      signOff(w, [d.chance(0.5) ? w.referrerOrganization() : null]),
    ),
  ];
}

export function nhsLetter(w: FieldWriter): string[] {
  const { d } = w;
  const org = w.referrerOrganization();
  const practiceCode = `${d.pick(['A', 'B', 'C', 'F', 'M'])}${d.digits(5)}`;
  const clinic = w.clinic();
  const urgency = d.chance(0.6) ? w.priority('label') : null;
  const details = d.shuffle([
    opt('NHS Number: ', w.nhsNumber()),
    opt(d.pick(['Date of Birth: ', 'DOB: ']), w.birthDate()),
    opt(d.pick(['Gender: ', 'Sex: ']), w.sex()),
    opt('Hospital No: ', d.chance(0.4) ? w.mrn() : null),
    opt(d.pick(['Tel: ', 'Telephone: ', 'Mobile: ']), w.patientPhone()),
  ]);
  const addr = w.patientAddress();
  const priority = urgency ? null : w.priority('sentence');
  const fax = w.referrerFax();
  return [
    lines(
      d.pick(['NHS Referral', 'REFERRAL LETTER', 'GP Referral']),
      opt('', org),
      `Practice code: ${practiceCode}`,
      opt('Date: ', w.referralDate()),
      '',
      opt(d.pick(['Referred to: ', 'Service: ', 'To: ']), clinic),
      opt(d.pick(['Urgency: ', 'Priority: ']), urgency),
      '',
      opt(d.pick(['Patient: ', 'Name: ']), w.patientName()),
      ...details,
      addr && `Address: ${addr.join(', ')}`,
      '',
      clinic && d.chance(0.5) ? `Dear ${clinic} team,` : 'Dear Doctor,',
      '',
      lines(reasonSentence(w), '', w.history(), opt('\nDiagnosis: ', w.diagnosis()), priority && `\n${priority}`),
      '',
      signOff(w, ['General Practitioner', inline('  ', opt('Tel: ', w.referrerPhone()), opt('Fax: ', fax))]),
    ),
  ];
}

export function usLetter(w: FieldWriter): string[] {
  const { d } = w;
  const head = letterhead(w);
  const { to, dear } = addressee(w);
  const mbi = w.medicare();
  const medicaid = mbi ? null : w.medicaid();
  const insurance = inline(
    d.pick(['   ', '; ', ' | ']),
    opt(d.pick(['Insurance: ', 'Payer: ', 'Primary insurance: ']), w.insurancePayer()),
    opt(d.pick(['Member ID: ', 'ID#: ', 'Policy #: ', 'Subscriber ID: ']), w.insuranceMemberId()),
  );
  const npi = w.referrerNpi();
  const priority = w.priority(d.chance(0.5) ? 'sentence' : 'label');
  return [
    lines(
      head,
      '',
      w.referralDate(),
      '',
      to ?? 'To: Referral Coordinator',
      '',
      inline('   ', opt('RE: ', w.patientName()), opt('DOB: ', w.birthDate()), opt('MRN: ', w.mrn())),
      opt('Sex: ', w.sex()),
      opt('Phone: ', w.patientPhone()),
      w.patientAddress()?.join(', '),
      insurance || null,
      opt('Medicare MBI: ', mbi),
      opt('Medicaid #: ', medicaid),
      '',
      dear,
      '',
      lines(
        w.reason() ? `I am referring my patient, a ${ageWords(w)}, for evaluation of ${w.reason()}` : `I am referring my patient, a ${ageWords(w)}, for your evaluation.`,
        '',
        w.history(),
        opt(`\n${d.pick(['ICD-10 / Diagnosis: ', 'Dx: ', 'Diagnosis: '])}`, w.diagnosis(true)),
        priority && `\n${priority.includes(' ') ? priority : `Priority: ${priority}`}`,
        `\nPlease contact our office with any questions about ${pronoun(w)} care.`,
      ),
      '',
      signOff(w, [opt('NPI: ', npi), opt('Direct line: ', d.chance(0.3) ? w.referrerPhone() : null)]),
    ),
  ];
}
