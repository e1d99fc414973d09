// The referral generator: seeded cases (patient, referrer, content, named clinic, priority, gaps) written in one of
// six letter styles, four typed form layouts or two AcroForms, each with the truth a perfect reader would return.
import type { Urgency } from '@triage/classifier';
import type { FieldName } from '@triage/contracts';
import { TSAI_CLINIC, fillGenerated, fillTsai } from './acroforms.ts';
import { CLINIC_NAMES, COMMON_TEAMS } from './clinics.ts';
import type { ClinicalItem, ClinicalSources } from './clinical-source.ts';
import { altLabelForm, classicForm, tickBoxForm, twoColumnForm } from './forms.ts';
import { dischargeReferral, eReferral, faxCover } from './letters-brief.ts';
import { gpLetter, nhsLetter, usLetter } from './letters-formal.ts';
import { makePatient, makeReferrer, type Locale, type Sex } from './people.ts';
import { createDraw, streamSeed, type Draw } from './random.ts';
import { ACRO_LAYOUTS, FORM_LAYOUTS, LETTER_STYLES, type GeneratedReferral, type Layout, type LayoutFamily, type NamedClinic, type ReferralCase } from './referral-types.ts';
import { createWriter, type FieldWriter } from './writer.ts';

/** Referral dates fall in the 120 days before this; extraction runs with it as "today". */
export const REFERENCE_DATE = new Date('2026-12-01T00:00:00Z');

export type GenerateOptions = { seed: number; count: number; sources: ClinicalSources; layouts?: readonly Layout[]; referenceDate?: Date };

const RENDER: Record<Exclude<Layout, 'acro-tsai' | 'acro-generated'>, (w: FieldWriter) => string[]> = {
  'gp-letter': gpLetter,
  'e-referral': eReferral,
  discharge: dischargeReferral,
  'nhs-letter': nhsLetter,
  'us-letter': usLetter,
  'fax-cover': faxCover,
  'form-classic': classicForm,
  'form-two-column': twoColumnForm,
  'form-alt-labels': altLabelForm,
  'form-tickbox': tickBoxForm,
};

// How often each field is simply not there. With the gaps the layouts leave, 55-60 % of referrals miss a core
// field, inside the 52-74 % of referrals that published audits found incomplete.
const OMIT: Partial<Record<FieldName, number>> = {
  patientName: 0.02, birthDate: 0.15, sex: 0.2, mrn: 0.35, identifiers: 0.2, patientPhone: 0.4, patientAddress: 0.4,
  insurancePayer: 0.25, insuranceMemberId: 0.3, referrerName: 0.08, referrerNpi: 0.3, referrerOrganization: 0.15,
  referrerPhone: 0.3, referrerFax: 0.4, reason: 0.1, diagnoses: 0.4, referralDate: 0.15,
};

export const familyOf = (layout: Layout): LayoutFamily =>
  (LETTER_STYLES as readonly string[]).includes(layout) ? 'letter' : (FORM_LAYOUTS as readonly string[]).includes(layout) ? 'form' : 'acroform';

function chooseLayout(d: Draw, allowed?: readonly Layout[]): Layout {
  if (allowed?.length) return d.pick(allowed);
  const family = d.weighted<LayoutFamily>([['letter', 0.55], ['form', 0.3], ['acroform', 0.15]]);
  return d.pick(family === 'letter' ? LETTER_STYLES : family === 'form' ? FORM_LAYOUTS : ACRO_LAYOUTS);
}

function chooseContent(d: Draw, layout: Layout, s: ClinicalSources): ClinicalItem {
  const dental = s.byTeam.get('Dentistry') ?? [];
  if (layout === 'acro-tsai' && dental.length && d.chance(0.5)) return d.pick(dental);
  const ktasShare = layout === 'discharge' ? 0.6 : 0.3;
  return d.chance(ktasShare) && s.ktas.length ? d.pick(s.ktas) : d.pick(s.mtsamples);
}

function ageFor(d: Draw, content: ClinicalItem): number {
  if (content.age !== undefined) return content.age;
  if (content.team === 'Pediatrics - Neonatal') return d.int(0, 15);
  if (content.team === 'Obstetrics / Gynecology') return d.int(18, 48);
  return d.int(18, 90);
}

function chooseClinic(d: Draw, layout: Layout, content: ClinicalItem): { named: NamedClinic; clinic?: { raw: string; team: string } } {
  if (layout === 'acro-tsai') return { named: content.teams.includes(TSAI_CLINIC.team) ? 'right' : 'wrong', clinic: { ...TSAI_CLINIC } };
  const named = d.weighted<NamedClinic>([['right', 0.55], ['wrong', 0.15], ['none', 0.3]]);
  if (named === 'none') return { named };
  const team = named === 'right' ? content.team : d.pick(COMMON_TEAMS.filter((t) => !content.teams.includes(t)));
  const raw = d.pick(CLINIC_NAMES[team] ?? [team]);
  // Capitalisation varies as referrers type it.
  return { named, clinic: { raw: d.chance(0.15) ? raw.toLowerCase() : d.chance(0.1) ? raw.toUpperCase() : raw, team } };
}

function choosePriority(d: Draw, layout: Layout, content: ClinicalItem): Urgency | undefined {
  if (!d.chance(0.6)) return undefined;
  const levels = ['emergent', 'urgent', 'routine'] as const;
  let u: Urgency = content.urgency && d.chance(0.75) ? content.urgency : d.weighted<Urgency>([['routine', 0.5], ['urgent', 0.35], ['emergent', 0.15]]);
  // The Tsai form's boxes are routine or "urgent - please call".
  if (layout === 'acro-tsai' && u === 'emergent') u = 'urgent';
  return levels.includes(u) ? u : undefined;
}

export function buildCase(d: Draw, index: number, layout: Layout, sources: ClinicalSources, referenceDate: Date): ReferralCase {
  const locale: Locale = layout === 'nhs-letter' ? 'uk' : layout === 'us-letter' || layout === 'acro-tsai' ? 'us' : d.chance(0.5) ? 'uk' : 'us';
  const content = chooseContent(d, layout, sources);
  const referralDate = new Date(referenceDate.getTime() - d.int(1, 120) * 86_400_000);
  const sex: Sex = content.sex ?? (content.team === 'Obstetrics / Gynecology' || d.chance(0.5) ? 'female' : 'male');
  const { named, clinic } = chooseClinic(d, layout, content);
  const statedPriority = choosePriority(d, layout, content);
  const omit = new Set<FieldName>();
  for (const [k, p] of Object.entries(OMIT)) if (d.chance(p)) omit.add(k as FieldName);
  return {
    index,
    locale,
    referralDate: referralDate.toISOString().slice(0, 10),
    patient: makePatient(d, locale, sex, ageFor(d, content), referralDate),
    referrer: makeReferrer(d, locale, layout === 'discharge'),
    content,
    ...(clinic && { clinic }),
    namedClinic: named,
    ...(statedPriority && { statedPriority }),
    omit,
  };
}

/** Document `index` of the run `seed`: the same whatever the sample size. */
export function generateReferral(index: number, opts: Omit<GenerateOptions, 'count'>): GeneratedReferral {
  const d = createDraw(streamSeed(opts.seed, index));
  const layout = chooseLayout(d, opts.layouts);
  const c = buildCase(d, index, layout, opts.sources, opts.referenceDate ?? REFERENCE_DATE);
  const w = createWriter(d, c);
  const acroform = layout === 'acro-tsai' ? fillTsai(w) : layout === 'acro-generated' ? fillGenerated(w) : undefined;
  const pages = acroform ? [] : RENDER[layout as keyof typeof RENDER](w);
  const { truth, written, unscored } = w.finish();
  return {
    id: `ref-${opts.seed}-${index}`,
    layout,
    family: familyOf(layout),
    locale: c.locale,
    pages,
    ...(acroform && { acroform }),
    truth,
    written,
    unscored,
    labels: {
      specialty: c.content.team,
      specialties: c.content.teams,
      ...(c.content.urgency && { urgency: c.content.urgency }),
      namedClinic: c.namedClinic,
      ...(c.statedPriority && { statedPriority: c.statedPriority }),
    },
    source: { dataset: c.content.dataset, id: c.content.id },
  };
}

export function generateReferrals(opts: GenerateOptions): GeneratedReferral[] {
  return Array.from({ length: opts.count }, (_, i) => generateReferral(i, opts));
}
