// AcroForm layouts: the shared real orthodontic form (field names read from it) and a form made in code whose
// fields are named in other schemes.
import { clip } from './clinical-source.ts';
import type { Draw } from './random.ts';
import type { AcroFormFieldSpec } from '@triage/documents';
import type { AcroFormFill } from './referral-types.ts';
import type { FieldWriter } from './writer.ts';

/** The shared form's file, relative to the datasets directory (see referral-forms/SOURCE.txt). */
export const TSAI_FORM = ['referral-forms', 'born_digital', 'tsai-orthodontics-referral-form.pdf'] as const;
/** The clinic the Tsai form is addressed to: its printed header is the referral's named clinic. */
export const TSAI_CLINIC = { raw: 'Orthodontics', team: 'Dentistry' } as const;
const MAX_CHARS = 100;

const email = (d: Draw, local: string) => `${local.toLowerCase().replace(/[^a-z]+/g, '.')}@${d.pick(['example.com', 'example.org', 'mail.example.net'])}`;

/**
 * Values for the Tsai form's 37 fields. Its urgency boxes are "Routine", "Within 1 month" and "Urgent - please
 * call"; only the first and last are ticked, since "within 1 month" has no agreed place on our three levels.
 */
export function fillTsai(w: FieldWriter): AcroFormFill {
  const { d, c } = w;
  const v: Record<string, string | boolean> = {};
  const set = (name: string, value: string | null) => {
    if (value) v[name] = value;
  };
  set('pt_name', w.patientName());
  set('pt_dob', w.birthDate());
  set('pt_phone', w.patientPhone());
  set('pt_gender', w.sex());
  if (d.chance(0.5)) v.pt_email = email(d, `${c.patient.name.given}.${c.patient.name.family}`);
  const years = (Date.parse(c.referralDate) - Date.parse(c.patient.birthDate)) / (365.25 * 86_400_000);
  if (years < 18) v.pt_guardian = `${c.patient.name.family} (parent)`;
  v[d.weighted([['lang_en', 8], ['lang_mand', 1], ['lang_cant', 1]])] = true;
  const who = w.referrerName();
  const org = d.chance(0.5) ? w.referrerOrganization() : null;
  set('ref_name', [who, org].filter(Boolean).join(d.pick([', ', ' / ', ' - '])) || null);
  set('ref_phone', w.referrerPhone());
  set('ref_date', w.referralDate());
  if (d.chance(0.6)) v.ref_email = email(d, c.referrer.organization);
  w.clinic();
  if (c.statedPriority) v[w.priorityAs(c.statedPriority === 'routine' ? 'urg_routine' : 'urg_urgent')!] = true;
  const orthodontic = c.content.team === 'Dentistry';
  for (const box of orthodontic ? d.shuffle(['r_crowd', 'r_overbite', 'r_crossbite', 'r_impacted', 'r_missing']).slice(0, d.int(1, 2)) : ['r_other']) v[box] = true;
  // Every text field holds 100 characters: a long reason runs on into the second notes line.
  const reason = w.reasonIn(MAX_CHARS, 2);
  set('notes', reason?.[0] ?? null);
  // A diagnosis goes on the second line when it is free and the text (with a code) fits.
  const dxFits = (c.content.diagnosis?.length ?? MAX_CHARS) <= MAX_CHARS - 24;
  const dx = reason && reason.length > 1 ? null : dxFits ? w.diagnosis() : null;
  set('notes2', reason?.[1] ?? (dx ? `Dx: ${dx}` : clip(c.content.history.replace(/\s+/g, ' '), MAX_CHARS - 10)));
  v[d.pick(['xr_none', 'xr_email', 'xr_copy'])] = true;
  v.pend_no = true;
  return { template: 'tsai', values: v };
}

type Scheme = (key: string) => string;
const SCHEMES: Scheme[] = [
  (k) => k.replace(/(^|_)([a-z])/g, (_, __, ch: string) => ch.toUpperCase()),
  (k) => k,
  (k) => k.replace('_', '.'),
];

/** A form made in code: printed labels beside fields whose names follow one of several naming schemes. */
export function fillGenerated(w: FieldWriter): AcroFormFill {
  const { d, c } = w;
  const scheme = d.pick(SCHEMES);
  const fields: AcroFormFieldSpec[] = [];
  const text = (key: string, label: string, value: string | null) => fields.push({ name: scheme(key), label, kind: 'text', ...(value && { value }) });
  const box = (key: string, label: string, checked: boolean) => fields.push({ name: scheme(key), label, kind: 'checkbox', value: checked });
  text('patient_name', 'Patient name', w.patientName());
  text('patient_dob', 'Date of birth', w.birthDate());
  text('patient_sex', 'Sex', w.sex());
  text('patient_mrn', 'MRN', w.mrn());
  if (c.locale === 'uk') text('nhs_number', 'NHS number', w.nhsNumber());
  const addr = w.patientAddress();
  text('patient_address', 'Address', addr && addr.join(', '));
  text('patient_phone', 'Phone', w.patientPhone());
  text('insurance_payer', 'Insurance', w.insurancePayer());
  text('insurance_id', 'Member ID', w.insuranceMemberId());
  text('referrer_name', 'Referring provider', w.referrerName(false));
  text('referrer_npi', 'NPI', w.referrerNpi());
  text('referrer_practice', 'Practice', w.referrerOrganization());
  text('referrer_phone', 'Office phone', w.referrerPhone());
  text('referrer_fax', 'Office fax', w.referrerFax());
  text('refer_to', 'Referred to (service)', w.clinic());
  for (const u of ['emergent', 'urgent', 'routine'] as const) {
    const key = `priority_${u === 'emergent' ? 'stat' : u}`;
    if (c.statedPriority === u) w.priorityAs(scheme(key));
    box(key, u === 'emergent' ? 'STAT' : u, c.statedPriority === u);
  }
  text('reason_referral', 'Reason for referral', w.reason());
  text('dx_icd10', 'Diagnosis / ICD-10', w.diagnosis(true));
  text('referral_date', 'Date of referral', w.referralDate());
  return { template: 'generated', fields: d.chance(0.3) ? d.shuffle(fields) : fields };
}
