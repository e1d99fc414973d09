import { z } from 'zod';

/** Typed reasons a document ends in `failed`. */
export const failureReason = z.enum([
  'unsupported_type',
  'unreadable',
  'encrypted',
  'too_many_pages',
  'too_large',
  'timeout',
  'memory',
  'no_text',
  'retries_exhausted',
  'bad_payload',
  'missing_original',
  'undecryptable',
  'poison',
  'internal',
]);
export type FailureReason = z.infer<typeof failureReason>;

export const extractOutcome = z.object({
  type: z.literal('extracted'),
  pages: z.number().int(),
  ocrPages: z.number().int(),
});
export const ocrOutcome = z.object({
  type: z.literal('recognized'),
  pages: z.number().int(),
  meanConfidence: z.number(),
});
/** Field names only (never values): outcomes are logged and kept in the provenance. */
export const fieldsOutcome = z.object({
  type: z.literal('read'),
  found: z.array(z.string()),
  missing: z.array(z.string()),
  conflicts: z.array(z.string()),
});
export const classifyOutcome = z.object({
  type: z.literal('classified'),
  urgency: z.string(),
  specialty: z.string(),
});
export const persistOutcome = z.object({
  type: z.enum(['auto', 'review', 'rejected']),
  referralId: z.string().uuid().nullable(),
});
export const notifyOutcome = z.object({
  type: z.literal('notified'),
  sent: z.number().int(),
  unknown: z.number().int(),
});

export const stageOutcomes = {
  extract: extractOutcome,
  ocr: ocrOutcome,
  fields: fieldsOutcome,
  classify: classifyOutcome,
  persist: persistOutcome,
  notify: notifyOutcome,
} as const;

export type StageOutcomes = { [K in keyof typeof stageOutcomes]: z.infer<(typeof stageOutcomes)[K]> };
