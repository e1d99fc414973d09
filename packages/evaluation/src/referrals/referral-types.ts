// What the generator makes: a referral's pages and, beside them, what a perfect reader would take from them.
import type { FieldName, FieldValue } from '@triage/contracts';
import type { Urgency } from '@triage/classifier';
import type { AcroFormFieldSpec } from '@triage/documents';
import type { ClinicalItem } from './clinical-source.ts';
import type { Locale, Patient, Referrer } from './people.ts';

export const LETTER_STYLES = ['gp-letter', 'e-referral', 'discharge', 'nhs-letter', 'us-letter', 'fax-cover'] as const;
export const FORM_LAYOUTS = ['form-classic', 'form-two-column', 'form-alt-labels', 'form-tickbox'] as const;
export const ACRO_LAYOUTS = ['acro-tsai', 'acro-generated'] as const;
export type LetterStyle = (typeof LETTER_STYLES)[number];
export type FormLayout = (typeof FORM_LAYOUTS)[number];
export type AcroLayout = (typeof ACRO_LAYOUTS)[number];
export type Layout = LetterStyle | FormLayout | AcroLayout;
export type LayoutFamily = 'letter' | 'form' | 'acroform';

export type NamedClinic = 'right' | 'wrong' | 'none';

/** Field values (no confidences) a perfect reader returns for the document. */
export type TruthValues = { [K in FieldName]?: FieldValue<K> };

/** Labels for routing: the content's team, urgency when the source knows it, and what the referrer wrote. */
export type ReferralLabels = {
  specialty: string;
  specialties: string[];
  urgency?: Urgency;
  namedClinic: NamedClinic;
  statedPriority?: Urgency;
};

/** The facts of one referral before a layout writes them down. */
export type ReferralCase = {
  index: number;
  locale: Locale;
  referralDate: string;
  patient: Patient;
  referrer: Referrer;
  content: ClinicalItem;
  /** The clinic the referrer names (the content's team, another team, or none). */
  clinic?: { raw: string; team: string };
  namedClinic: NamedClinic;
  statedPriority?: Urgency;
  /** Fields this referral leaves out, as real referrals do. */
  omit: ReadonlySet<FieldName>;
};

/** One filled AcroForm: the template (the shared real form, or one made in code) and the values put in its fields. */
export type AcroFormFill =
  | { template: 'tsai'; values: Record<string, string | boolean> }
  | { template: 'generated'; fields: AcroFormFieldSpec[] };

export type GeneratedReferral = {
  id: string;
  layout: Layout;
  family: LayoutFamily;
  locale: Locale;
  /** Page texts of letters and typed forms; an AcroForm's printed text is its template's (none here). */
  pages: string[];
  acroform?: AcroFormFill;
  truth: TruthValues;
  /** How each truth value is written in the document (every string appears in it), for checks and debugging. */
  written: Partial<Record<FieldName, string[]>>;
  /** Fields not scored on this document (e.g. sex only implied by the narrative or a title). */
  unscored: FieldName[];
  labels: ReferralLabels;
  source: { dataset: ClinicalItem['dataset']; id: string };
};
