// Typed referral forms: `Label: value` lines in four layouts (sections, two columns, other wordings, tick boxes).
import { CLINIC_NAMES, COMMON_TEAMS } from './clinics.ts';
import { inline, lines } from './compose.ts';
import { caseLabel, labelStyle, labelled, type LabelStyle } from './formats.ts';
import type { FieldWriter } from './writer.ts';

// Values are thunks: a field is written (and so becomes truth) only when the layout prints it.
type Entry = [label: string, value: () => string | null];
type Filled = [label: string, value: string | null];

const fill = (entries: Entry[]): Filled[] => entries.map(([l, v]) => [l, v()]);

/** Entries as lines; an empty one keeps its bare label on some forms (a blank box), or is left out. */
function entryLines(s: LabelStyle, entries: Entry[], blanks: boolean): string[] {
  return fill(entries).flatMap(([label, value]) => (value ? [labelled(s, label, value)] : blanks ? [`${caseLabel(label, s.casing)}${s.sep.trimEnd()}`] : []));
}

const heading = (w: FieldWriter, s: LabelStyle, text: string) => (w.d.chance(0.7) ? text.toUpperCase() : caseLabel(text, s.casing));

function patientEntries(w: FieldWriter, alt: boolean): Entry[] {
  const { d, c } = w;
  const address = () => {
    const addr = w.patientAddress();
    return addr && (d.chance(0.7) ? addr.join(', ') : addr.join(' '));
  };
  const id: Entry[] = c.locale === 'uk' ? [['NHS Number', () => w.nhsNumber()]] : [];
  if (alt) {
    const parts = w.patientNameParts();
    return [
      [d.pick(['Surname', 'Last name', 'Family name']), () => parts?.family ?? null],
      [d.pick(['Forename(s)', 'First name', 'Given names']), () => parts?.given ?? null],
      [d.pick(['D.O.B.', 'Birth date', 'DoB']), () => w.birthDate()],
      [d.pick(['Gender', 'Sex (M/F)']), () => w.sex('letter')],
      [d.pick(['Hosp. No.', 'Chart no.', 'Record #']), () => w.mrn()],
      ...id,
      [d.pick(['Home address', 'Residence']), address],
      [d.pick(['Tel', 'Contact no.', 'Best phone']), () => w.patientPhone()],
      ...(c.locale === 'us' ? ([[d.pick(['Health plan', 'Carrier']), () => w.insurancePayer()], [d.pick(['Policy #', 'Member no.']), () => w.insuranceMemberId()]] as Entry[]) : []),
    ];
  }
  return [
    [d.pick(['Name', 'Patient name', 'Patient']), () => w.patientName()],
    [d.pick(['Date of birth', 'DOB']), () => w.birthDate()],
    ['Sex', () => w.sex()],
    [d.pick(['MRN', 'Medical record number', 'Patient ID']), () => w.mrn()],
    ...id,
    ['Address', address],
    [d.pick(['Phone', 'Telephone', 'Home phone']), () => w.patientPhone()],
    ...(c.locale === 'us' || c.patient.insurance ? ([[d.pick(['Insurance', 'Insurer', 'Payer']), () => w.insurancePayer()], [d.pick(['Member ID', 'Policy number', 'Subscriber ID']), () => w.insuranceMemberId()]] as Entry[]) : []),
  ];
}

function referrerEntries(w: FieldWriter, alt: boolean): Entry[] {
  const { d } = w;
  return [
    [alt ? d.pick(['Referring provider', 'Referred by', 'Requesting clinician']) : d.pick(['Name', 'Referring physician', 'Referring clinician']), () => w.referrerName()],
    [alt ? 'Provider NPI' : 'NPI', () => w.referrerNpi()],
    [alt ? d.pick(['Clinic/Practice', 'Facility']) : d.pick(['Practice', 'Organization', 'Practice name']), () => w.referrerOrganization()],
    [alt ? d.pick(['Ph', 'Office tel']) : d.pick(['Phone', 'Telephone']), () => w.referrerPhone()],
    [alt ? d.pick(['Fx', 'Office fax']) : 'Fax', () => w.referrerFax()],
  ];
}

function referralEntries(w: FieldWriter, alt: boolean): Entry[] {
  const { d } = w;
  return [
    [alt ? d.pick(['Service requested', 'Specialty']) : d.pick(['Referred to', 'Clinic', 'Referral to']), () => w.clinic()],
    [alt ? 'Urgency' : 'Priority', () => w.priority('label')],
    [alt ? d.pick(['Presenting complaint', 'Clinical question']) : 'Reason for referral', () => w.reason()],
    [alt ? d.pick(['ICD-10 / Dx', 'Diagnosis (ICD-10)']) : 'Diagnosis', () => w.diagnosis(alt)],
    [alt ? 'Date of referral' : 'Date', () => w.referralDate()],
  ];
}

const title = (w: FieldWriter) => w.d.pick(['REFERRAL FORM', 'Outpatient Referral Form', 'SPECIALIST REFERRAL REQUEST', 'New Patient Referral']);

export function classicForm(w: FieldWriter): string[] {
  const { d } = w;
  const s = labelStyle(d);
  const blanks = d.chance(0.5);
  const sections: Array<[string, Entry[]]> = [
    ['Patient details', patientEntries(w, false)],
    ['Referring clinician', referrerEntries(w, false)],
    ['Referral', referralEntries(w, false)],
  ];
  const ordered = d.chance(0.3) ? [sections[1]!, sections[0]!, sections[2]!] : sections;
  return [
    lines(title(w), '', ...ordered.flatMap(([h, e]) => [heading(w, s, h), ...entryLines(s, e, blanks), '']), heading(w, s, 'Clinical history'), w.history(), '', 'Signature: ____________________'),
  ];
}

export function twoColumnForm(w: FieldWriter): string[] {
  const { d } = w;
  const s = labelStyle(d);
  const width = d.int(34, 46);
  // Padding keeps columns in a text upload; a bar keeps them when a renderer re-wraps the lines (PDF, fax).
  const bar = d.chance(0.4);
  const pair = (entries: Entry[]) => {
    const cells = fill(entries).filter(([, v]) => v || d.chance(0.3)).map(([l, v]) => (v ? labelled(s, l, v) : `${caseLabel(l, s.casing)}${s.sep.trimEnd()}`));
    const out: string[] = [];
    for (let i = 0; i < cells.length; i += 2) out.push(cells[i + 1] ? (bar ? `${cells[i]}  |  ${cells[i + 1]}` : `${cells[i]!.padEnd(Math.max(width, cells[i]!.length + 3))}${cells[i + 1]}`) : cells[i]!);
    return out;
  };
  const ref = referralEntries(w, false);
  return [
    lines(
      title(w),
      '',
      heading(w, s, 'Patient'),
      ...pair(d.shuffle(patientEntries(w, false))),
      '',
      heading(w, s, 'Referred by'),
      ...pair(referrerEntries(w, false)),
      '',
      // clinic, priority and date side by side; reason and diagnosis need the full width
      ...pair([ref[0]!, ref[1]!, ref[4]!]),
      ...entryLines(s, [ref[2]!, ref[3]!], false),
      '',
      heading(w, s, 'History'),
      w.history(),
    ),
  ];
}

export function altLabelForm(w: FieldWriter): string[] {
  const { d } = w;
  const s = labelStyle(d);
  const blanks = d.chance(0.6);
  const all = [...d.shuffle(patientEntries(w, true)), ...referrerEntries(w, true), ...referralEntries(w, true)];
  return [lines(d.pick(['Referral for Specialist Consultation', 'CONSULT REQUEST', 'Request for Opinion']), '', ...entryLines(s, all, blanks), '', `${caseLabel('Notes', s.casing)}${s.sep}${w.history()}`)];
}

export function tickBoxForm(w: FieldWriter): string[] {
  const { d, c } = w;
  const s = labelStyle(d);
  const others = d.shuffle(COMMON_TEAMS.filter((t) => t !== c.clinic?.team)).slice(0, d.int(4, 7)).map((t) => d.pick(CLINIC_NAMES[t]!));
  const patient = patientEntries(w, false).filter(([l]) => l !== 'Sex');
  return [
    lines(
      title(w),
      '',
      ...entryLines(s, patient.slice(0, 2), true),
      labelled(s, 'Sex', w.sexTicks()),
      ...entryLines(s, patient.slice(2), d.chance(0.5)),
      '',
      labelled(s, 'Priority', w.priorityTicks()),
      '',
      caseLabel('Specialty requested (tick one):', s.casing),
      w.clinicTicks(others),
      '',
      ...entryLines(s, [...referralEntries(w, false).slice(2), ...referrerEntries(w, false)], true),
      '',
      inline(s.sep, caseLabel('Clinical details', s.casing), w.history()),
    ),
  ];
}
