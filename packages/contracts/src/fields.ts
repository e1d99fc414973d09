import { z } from 'zod';
import { urgency } from './documents.ts';

/** A word box on a page image, in pixels of the image OCR read (at `layoutDpi`, turned upright). */
export const box = z.object({ x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number() }).strict();
export type Box = z.infer<typeof box>;

/** Where a value was read: `start`/`end` are offsets in that page's text; `box` on scanned pages. */
export const fieldEvidence = z
  .object({ page: z.number().int().min(1), start: z.number().int().min(0), end: z.number().int().min(0), box: box.optional() })
  .strict();
export type FieldEvidence = z.infer<typeof fieldEvidence>;

export const FIELD_SOURCES = ['text', 'acroform', 'ocr-layout', 'hl7', 'fhir', 'reviewer'] as const;
export const fieldSource = z.enum(FIELD_SOURCES);
export type FieldSource = z.infer<typeof fieldSource>;

const field = <T extends z.ZodType>(value: T) =>
  z
    .object({
      value,
      /** Probability the value is right, validation included (a failed NPI check digit lowers it). */
      confidence: z.number().min(0).max(1),
      evidence: z.array(fieldEvidence),
      source: fieldSource,
      /** Other values the document gave for this field: a conflict for a person to settle, not a guess. */
      conflicts: z.array(value).optional(),
      /** Where a structured message gave the value (`TQ1-9`, `PID-5`, `ServiceRequest.priority`); text fields use evidence. */
      at: z.string().max(80).optional(),
    })
    .strict();

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export const IDENTIFIER_KINDS = ['mrn', 'nhs', 'medicare', 'medicaid', 'ssn', 'other'] as const;
export const identifier = z.object({ kind: z.enum(IDENTIFIER_KINDS), value: z.string().min(1).max(64) }).strict();
export const diagnosis = z.object({ code: z.string().max(10).optional(), text: z.string().max(500) }).strict();
/** The clinic the referrer named, as written, and the routing-policy specialty it maps to (null: no mapping). */
export const referredTo = z.object({ raw: z.string().max(200), specialty: z.string().nullable() }).strict();

const str = z.string().min(1).max(2000);
export const referralFields = z
  .object({
    patientName: field(str),
    /** ISO YYYY-MM-DD. */
    birthDate: field(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
    sex: field(z.enum(SEXES)),
    mrn: field(str),
    identifiers: field(z.array(identifier)),
    patientPhone: field(str),
    patientAddress: field(str),
    insurancePayer: field(str),
    insuranceMemberId: field(str),
    referrerName: field(str),
    referrerNpi: field(z.string().regex(/^\d{10}$/)),
    referrerOrganization: field(str),
    referrerPhone: field(str),
    referrerFax: field(str),
    referredTo: field(referredTo),
    statedPriority: field(urgency),
    reason: field(str),
    diagnoses: field(z.array(diagnosis)),
    referralDate: field(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
  })
  .partial()
  .strict();
export type ReferralFields = z.infer<typeof referralFields>;

/** A stored field set as the contract reads it; one that no longer parses counts as nothing read. */
export function storedFields(stored: unknown): ReferralFields {
  const parsed = referralFields.safeParse(stored ?? {});
  return parsed.success ? parsed.data : {};
}
export type FieldName = keyof ReferralFields;
export const FIELD_NAMES = Object.keys(referralFields.shape) as FieldName[];
export const fieldName = z.enum(FIELD_NAMES as [FieldName, ...FieldName[]]);
export type FieldOf<K extends FieldName> = NonNullable<ReferralFields[K]>;
export type FieldValue<K extends FieldName> = FieldOf<K>['value'];

/** One AcroForm field as a PDF holds it (born-digital forms keep their values out of the text layer). */
export type AcroField = {
  name: string;
  /** 1-based page of the field's first widget; null when the PDF does not say. */
  page: number | null;
  kind: 'text' | 'checkbox' | 'radio' | 'dropdown' | 'other';
  /** Text / selected option; null when empty. For a checkbox, the export value when checked. */
  value: string | null;
  checked?: boolean;
  options?: string[];
};
