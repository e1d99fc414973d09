// Shorter letter styles: an e-referral, a hospital discharge-style referral, a fax cover sheet with its letter.
import { addressee, inline, lines, opt, reasonSentence, signOff } from './compose.ts';
import { formatPhone } from './formats.ts';
import { phone as makePhone } from './people.ts';
import type { FieldWriter } from './writer.ts';

const daysBefore = (iso: string, days: number) => new Date(Date.parse(iso) - days * 86_400_000).toISOString().slice(0, 10);

export function eReferral(w: FieldWriter): string[] {
  const { d, c } = w;
  const id = c.locale === 'uk' ? w.nhsNumber() : null;
  const from = inline(' ', w.referrerName(false), opt('(', w.referrerOrganization())?.concat(')'));
  return [
    lines(
      d.pick(['e-Referral', 'ELECTRONIC REFERRAL', 'eReferral request']),
      `${d.pick(['Ref ID: ', 'UBRN: ', 'Request #'])}${d.digits(4)}-${d.digits(4)}-${d.digits(4)}`,
      opt(d.pick(['Sent: ', 'Date: ', 'Created: ']), w.referralDate()),
      opt('From: ', from || null),
      opt('NPI: ', w.referrerNpi()),
      opt('To: ', w.clinic()),
      opt(d.pick(['Priority: ', 'Urgency: ', 'Clinical priority: ']), w.priority('label')),
      opt('Patient: ', inline(' | ', w.patientName(), w.sex('letter'), opt('DOB ', w.birthDate()))),
      opt('NHS No: ', id),
      opt('MRN: ', id ? null : w.mrn()),
      opt('Reason: ', w.reason()),
      opt('Dx: ', w.diagnosis()),
      '',
      d.chance(0.6) ? w.history() : null,
      '',
      opt(d.pick(['Contact: ', 'Callback: ', 'Referrer tel: ']), w.referrerPhone()),
    ),
  ];
}

export function dischargeReferral(w: FieldWriter): string[] {
  const { d, c } = w;
  const discharged = daysBefore(c.referralDate, d.int(0, 3));
  const admitted = daysBefore(discharged, d.int(1, 9));
  const clinic = w.clinic();
  const priority = w.priority('sentence');
  const org = w.referrerOrganization();
  const addr = w.patientAddress();
  return [
    lines(
      org ? org.toUpperCase() : 'HOSPITAL DISCHARGE',
      d.pick(['DISCHARGE SUMMARY AND REFERRAL', 'Discharge summary / outpatient referral', 'DISCHARGE LETTER']),
      '',
      inline('    ', opt('Patient: ', w.patientName()), opt(d.pick(['MRN: ', 'Hospital number: ', 'Unit No: ']), w.mrn())),
      inline('    ', opt('DOB: ', w.birthDate()), opt('Sex: ', w.sex())),
      opt('NHS No: ', c.locale === 'uk' ? w.nhsNumber() : null),
      addr && `Address: ${addr.join(', ')}`,
      opt('Home phone: ', w.patientPhone()),
      inline('    ', `Admitted: ${w.date(admitted)}`, `Discharged: ${w.date(discharged)}`),
      opt(d.pick(['Consultant: ', 'Discharging physician: ', 'Responsible clinician: ']), w.referrerName()),
      '',
      opt(d.pick(['Discharge diagnosis: ', 'Principal diagnosis: ', 'Diagnoses: ']), w.diagnosis()),
      opt(d.pick(['Presenting complaint: ', 'Reason for admission: ']), w.reason()),
      '',
      `${d.pick(['Hospital course: ', 'Summary: ', 'Clinical summary: '])}${w.history()}`,
      '',
      clinic ? `Follow-up: ${d.pick([`referred to ${clinic}.`, `please arrange review in ${clinic}.`, `${clinic} outpatient appointment requested.`])}` : 'Follow-up: outpatient review requested.',
      priority,
      '',
      inline('   ', opt('Ward tel: ', w.referrerPhone()), opt('Fax: ', w.referrerFax())),
      opt('Date: ', w.referralDate()),
    ),
  ];
}

export function faxCover(w: FieldWriter): string[] {
  const { d, c } = w;
  const { to, dear } = addressee(w);
  const urgentStamp = c.statedPriority && c.statedPriority !== 'routine' && d.chance(0.5) ? w.priority('label')?.toUpperCase() : null;
  const cover = lines(
    d.pick(['FAX', 'FACSIMILE TRANSMISSION', 'Fax Cover Sheet']),
    '',
    opt('Date: ', w.referralDate()),
    `To: ${to?.replace(/^Referral to: /, '') ?? d.pick(['Referral Coordinator', 'New Patient Referrals', 'Outpatient Bookings'])}`,
    // The receiving clinic's fax: on the cover, and not the referrer's.
    `Fax: ${formatPhone(d, makePhone(d, c.locale))}`,
    '',
    opt('From: ', w.referrerName(false)),
    opt(d.pick(['Practice: ', 'Organization: ', 'Office: ']), w.referrerOrganization()),
    opt('Phone: ', w.referrerPhone()),
    opt('Fax: ', w.referrerFax()),
    '',
    `Pages (including cover): 2`,
    `Re: ${d.pick(['New patient referral', 'Referral', 'Consultation request'])}`,
    urgentStamp ? `*** ${urgentStamp} ***` : null,
    '',
    'CONFIDENTIALITY NOTICE: This facsimile contains confidential health information intended only for the named recipient. If you received it in error, please notify the sender by telephone and destroy it.',
  );
  const addr = w.patientAddress();
  const letter = lines(
    opt(d.pick(['Patient: ', 'Patient name: ']), w.patientName()),
    inline('   ', opt('DOB: ', w.birthDate()), opt('Sex: ', d.chance(0.5) ? w.sex('letter') : null), opt('MRN: ', w.mrn())),
    addr && addr.join(', '),
    opt('Tel: ', w.patientPhone()),
    inline('   ', opt('Insurance: ', w.insurancePayer()), opt('ID: ', w.insuranceMemberId())),
    '',
    dear,
    '',
    reasonSentence(w),
    '',
    w.history(),
    opt('\nDiagnosis: ', w.diagnosis()),
    urgentStamp ? null : w.priority('sentence'),
    '',
    signOff(w, [opt('NPI ', w.referrerNpi())]),
  );
  return [cover, letter];
}
