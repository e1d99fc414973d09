// Small text-layout helpers shared by the letter and form writers.
import { addressLines } from './formats.ts';
import { familyName } from './people.ts';
import type { FieldWriter } from './writer.ts';

type Part = string | null | undefined | false;

/** Lines without the parts a document leaves out (null), keeping deliberate blank lines (''). */
export const lines = (...parts: Part[]) => parts.filter((p): p is string => typeof p === 'string').join('\n');

/** Joins the present parts of one line. */
export const inline = (sep: string, ...parts: Part[]) => parts.filter((p): p is string => !!p).join(sep);

/** "Label value" when the value is there, else nothing (or the bare label, as half-filled forms have). */
export const opt = (label: string, value: string | null, blankLabel = false) => (value ? `${label}${value}` : blankLabel ? label.trimEnd() : null);

export function letterhead(w: FieldWriter): string {
  const { d, c } = w;
  const org = w.referrerOrganization();
  const addr = addressLines(c.referrer.orgAddress, c.locale);
  const phone = w.referrerPhone();
  const fax = w.referrerFax();
  const contact = inline(d.pick(['   ', ' | ', '  ']), phone && `${d.pick(['Tel: ', 'Phone: ', 'T: ', 'Tel '])}${phone}`, fax && `${d.pick(['Fax: ', 'F: ', 'Fax '])}${fax}`);
  const head = org ? (d.chance(0.4) ? org.toUpperCase() : org) : null;
  return lines(head, d.chance(0.5) ? addr.join(', ') : addr.join('\n'), contact || null);
}

/** Who the letter is addressed to; names the clinic when the referral does. */
export function addressee(w: FieldWriter): { to: string | null; dear: string } {
  const { d } = w;
  const clinic = w.clinic();
  const doctor = `Dr ${familyName(d)}`;
  if (!clinic) return { to: d.chance(0.4) ? d.pick(['The Referrals Team', 'Outpatient Bookings', 'To whom it may concern']) : null, dear: d.pick(['Dear Colleague,', 'Dear Doctor,', `Dear ${doctor},`, 'Dear Sir/Madam,']) };
  return d.pick([
    () => ({ to: `The ${clinic} Department`, dear: d.pick(['Dear Colleague,', `Dear ${doctor},`]) }),
    () => ({ to: `${doctor}, ${clinic}`, dear: `Dear ${doctor},` }),
    () => ({ to: null, dear: `Dear ${clinic} team,` }),
    () => ({ to: `Referral to: ${clinic}`, dear: 'Dear Colleague,' }),
  ])();
}

export const ageWords = (w: FieldWriter) => {
  const years = Math.floor((Date.parse(w.c.referralDate) - Date.parse(w.c.patient.birthDate)) / (365.25 * 86_400_000));
  const who = years < 16 ? (w.c.patient.sex === 'female' ? 'girl' : 'boy') : w.c.patient.sex === 'female' ? 'woman' : 'man';
  return `${years}-year-old ${who}`;
};

export const pronoun = (w: FieldWriter) => (w.c.patient.sex === 'female' ? 'her' : 'him');

/** The reason in a sentence: "… regarding <reason>". */
export function reasonSentence(w: FieldWriter): string | null {
  const reason = w.reason();
  if (!reason) return null;
  return w.d.pick([
    `I would be grateful for your opinion regarding: ${reason}`,
    `Reason for referral: ${reason}`,
    `I am referring ${pronoun(w)} for assessment of the following: ${reason}`,
    `Thank you for seeing this ${ageWords(w)}. Problem: ${reason}`,
  ]);
}

export function signOff(w: FieldWriter, extra: Part[] = []): string {
  const { d } = w;
  return lines(d.pick(['Yours sincerely,', 'Kind regards,', 'Sincerely,', 'With thanks,']), '', w.referrerName(), ...extra);
}
