// Writes a referral's facts in one document's style, recording each value it writes as that document's truth.
import type { FieldName, FieldValue } from '@triage/contracts';
import { icd10For } from './diagnosis-codes.ts';
import { addressLines, dateStyles, formatPhone, writePatientName, writeReferrerName, type DateStyle } from './formats.ts';
import { familyName, placeName } from './people.ts';
import { priorityLabel, prioritySentence, priorityTicks } from './priority-words.ts';
import type { Draw } from './random.ts';
import type { ReferralCase, TruthValues } from './referral-types.ts';

export type WrittenTruth = { truth: TruthValues; written: Partial<Record<FieldName, string[]>>; unscored: FieldName[] };

export type FieldWriter = ReturnType<typeof createWriter>;

export function createWriter(d: Draw, c: ReferralCase) {
  const truth: TruthValues = {};
  const written: Partial<Record<FieldName, string[]>> = {};
  const date: DateStyle = d.pick(dateStyles(c.locale));
  // A second date style for some documents: letters are not always consistent.
  const date2: DateStyle = d.chance(0.3) ? d.pick(dateStyles(c.locale)) : date;
  const put = <K extends FieldName>(k: K, value: FieldValue<K>, text: string): string => {
    (truth as Record<string, unknown>)[k] = value;
    const list: string[] = written[k as FieldName] ?? [];
    list.push(text);
    written[k as FieldName] = list;
    return text;
  };
  const ok = (k: FieldName) => !c.omit.has(k);
  const otherDoctor = familyName(d);
  const otherPlace = placeName(d);
  const { patient: p, referrer: r } = c;
  const identifiers: Array<{ kind: 'nhs' | 'medicare' | 'medicaid'; value: string }> = [];
  const addIdentifier = (kind: 'nhs' | 'medicare' | 'medicaid', value: string, text: string) => {
    if (!identifiers.some((i) => i.kind === kind)) identifiers.push({ kind, value });
    return put('identifiers', [...identifiers], text);
  };
  return {
    d,
    c,
    has: ok,
    date: (iso: string) => date2(iso),
    patientName: () => {
      if (!ok('patientName')) return null;
      const n = writePatientName(d, p);
      return put('patientName', n.truth, n.text);
    },
    /** Surname and forenames in separate boxes; the truth is still the full name. */
    patientNameParts: () => {
      if (!ok('patientName')) return null;
      const { given, middle, family } = p.name;
      const forenames = middle ? `${given} ${middle}` : given;
      const upper = d.chance(0.3);
      const parts = { family: upper ? family.toUpperCase() : family, given: forenames };
      put('patientName', `${forenames} ${family}`, parts.family);
      written.patientName!.push(parts.given);
      return parts;
    },
    birthDate: () => (ok('birthDate') ? put('birthDate', p.birthDate, date(p.birthDate)) : null),
    sex: (style: 'word' | 'letter' = d.chance(0.5) ? 'word' : 'letter') => {
      if (!ok('sex')) return null;
      const word = p.sex === 'female' ? 'Female' : 'Male';
      const text = style === 'letter' ? word[0]! : d.chance(0.3) ? word.toLowerCase() : word;
      return put('sex', p.sex, text);
    },
    sexTicks: () => {
      const mark = d.pick(['[X]', '[x]']);
      const options: Array<['female' | 'male' | 'other', string]> = d.chance(0.5) ? [['male', 'Male'], ['female', 'Female'], ['other', 'Other']] : [['female', 'F'], ['male', 'M']];
      const text = options.map(([v, l]) => `${ok('sex') && v === p.sex ? mark : '[ ]'} ${l}`).join('  ');
      if (ok('sex')) put('sex', p.sex, text);
      return text;
    },
    mrn: () => (ok('mrn') ? put('mrn', p.mrn, p.mrn) : null),
    nhsNumber: () => {
      if (!p.nhsNumber || !ok('identifiers')) return null;
      const n = p.nhsNumber;
      return addIdentifier('nhs', n, d.chance(0.7) ? `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}` : n);
    },
    medicare: () => (p.insurance?.medicare && ok('identifiers') ? addIdentifier('medicare', p.insurance.medicare, p.insurance.medicare) : null),
    medicaid: () => (p.insurance?.medicaid && ok('identifiers') ? addIdentifier('medicaid', p.insurance.medicaid, p.insurance.medicaid) : null),
    /** Address lines; the truth is the lines joined with commas. */
    patientAddress: () => {
      if (!ok('patientAddress')) return null;
      const lines = addressLines(p.address, c.locale);
      put('patientAddress', lines.join(', '), lines[0]!);
      written.patientAddress!.push(...lines.slice(1));
      return lines;
    },
    patientPhone: () => (ok('patientPhone') ? phoneOf('patientPhone', formatPhone(d, p.phone)) : null),
    insurancePayer: () => (p.insurance && ok('insurancePayer') ? put('insurancePayer', p.insurance.payer, p.insurance.payer) : null),
    insuranceMemberId: () => (p.insurance && ok('insuranceMemberId') ? put('insuranceMemberId', p.insurance.memberId, p.insurance.memberId) : null),
    referrerName: (withPostNominals?: boolean) => {
      if (!ok('referrerName')) return null;
      const n = writeReferrerName(d, r, withPostNominals);
      // Written twice ("From: Dr Ann Lee" and a signature "Dr A. Lee"), the truth is the fuller name, not the last.
      const before = truth.referrerName;
      const text = put('referrerName', n.truth, n.text);
      if (before && before.length > n.truth.length) truth.referrerName = before;
      return text;
    },
    referrerNpi: () => (r.npi && ok('referrerNpi') ? put('referrerNpi', r.npi, r.npi) : null),
    referrerOrganization: () => (ok('referrerOrganization') ? put('referrerOrganization', r.organization, r.organization) : null),
    referrerPhone: () => (ok('referrerPhone') ? phoneOf('referrerPhone', formatPhone(d, r.phone)) : null),
    referrerFax: () => (ok('referrerFax') ? phoneOf('referrerFax', formatPhone(d, r.fax)) : null),
    /** The clinic's name as the referrer writes it (null when the referral names none). */
    clinic: () => (c.clinic ? put('referredTo', { raw: c.clinic.raw, specialty: c.clinic.team }, c.clinic.raw) : null),
    /** A grid of clinic tick boxes; the named clinic (if any) is ticked among others. */
    clinicTicks: (others: string[]) => {
      const mark = d.pick(['[X]', '[x]']);
      const names = d.shuffle(c.clinic ? [c.clinic.raw, ...others] : others);
      const cells = names.map((n) => `${n === c.clinic?.raw ? mark : '[ ]'} ${n}`);
      const rows: string[] = [];
      for (let i = 0; i < cells.length; i += 3) rows.push(cells.slice(i, i + 3).map((x) => x.padEnd(28)).join('').trimEnd());
      const text = rows.join('\n');
      if (c.clinic) put('referredTo', { raw: c.clinic.raw, specialty: c.clinic.team }, `${mark} ${c.clinic.raw}`);
      return text;
    },
    priority: (how: 'sentence' | 'label') => {
      if (!c.statedPriority) return null;
      const text = how === 'sentence' ? prioritySentence(d, c.statedPriority) : priorityLabel(d, c.statedPriority);
      return put('statedPriority', c.statedPriority, text);
    },
    /** Records the stated priority as some other mark says it (an AcroForm check box). */
    priorityAs: (text: string) => (c.statedPriority ? put('statedPriority', c.statedPriority, text) : null),
    priorityTicks: () => {
      const text = priorityTicks(d, c.statedPriority ?? null);
      if (c.statedPriority) put('statedPriority', c.statedPriority, text);
      return text;
    },
    reason: () => (ok('reason') ? put('reason', c.content.reason, c.content.reason) : null),
    /** The reason split at word boundaries into at most `parts` pieces of `max` characters (form fields cap length). */
    reasonIn: (max: number, parts: number): string[] | null => {
      if (!ok('reason')) return null;
      const chunks: string[] = [];
      for (const word of c.content.reason.split(/\s+/)) {
        const last = chunks[chunks.length - 1];
        if (last !== undefined && `${last} ${word}`.length <= max) chunks[chunks.length - 1] = `${last} ${word}`;
        else chunks.push(word.slice(0, max));
      }
      const kept = chunks.slice(0, parts);
      put('reason', kept.join(' '), kept[0]!);
      written.reason!.push(...kept.slice(1));
      return kept;
    },
    diagnosis: (withCode = d.chance(0.5)) => {
      const text = c.content.diagnosis;
      if (!text || !ok('diagnoses')) return null;
      const code = withCode ? icd10For(text) : undefined;
      const out = code ? d.pick([`${text} (${code})`, `${code} ${text}`, `${text} - ICD-10 ${code}`]) : text;
      return put('diagnoses', [{ text, ...(code && { code }) }], out);
    },
    referralDate: () => (ok('referralDate') ? put('referralDate', c.referralDate, date(c.referralDate)) : null),
    /** The content's history, its de-identification placeholders ("Mr. ABC", "Dr. X") given this case's names. */
    history: () =>
      c.content.history
        .replace(/\b(Dr|Doctor)\.? (X|XYZ|ABC)\b/g, () => `Dr ${otherDoctor}`)
        .replace(/\b(Mr|Mrs|Ms|Miss)\.? (ABC|XYZ)\b/g, (_, t: string) => `${t} ${p.name.family}`)
        .replace(/\b(ABC|XYZ) (Medical Center|Hospital|Clinic)\b/g, (_, __, kind: string) => `${otherPlace} ${kind}`)
        .replace(/\b(ABC|XYZ)\b/g, p.name.given),
    finish: (): WrittenTruth => ({
      truth,
      written,
      // Sex left unlabelled is often still implied (a title, "this 45-year-old woman"): neither required nor penalised.
      unscored: truth.sex ? [] : ['sex'],
    }),
  };

  function phoneOf(k: 'referrerPhone' | 'referrerFax' | 'patientPhone', text: string): string {
    return put(k, text, text);
  }
}
