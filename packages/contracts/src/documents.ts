import { z } from 'zod';
import { failureReason } from './outcomes.ts';

export const DOCUMENT_STATUSES = ['received', 'processing', 'needs_review', 'routed', 'failed', 'rejected'] as const;
export const documentStatus = z.enum(DOCUMENT_STATUSES);
export type DocumentStatus = z.infer<typeof documentStatus>;
export const TERMINAL_STATUSES: readonly DocumentStatus[] = ['needs_review', 'routed', 'failed', 'rejected'];

export const DOCUMENT_KINDS = ['pdf', 'png', 'jpeg', 'tiff', 'text'] as const;
export const documentKind = z.enum(DOCUMENT_KINDS);

export const URGENCIES = ['emergent', 'urgent', 'routine'] as const;
export const urgency = z.enum(URGENCIES);
export type Urgency = z.infer<typeof urgency>;

export const ROLES = ['intake', 'reviewer', 'admin', 'auditor'] as const;
export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

export const intakeFields = z
  .object({
    source: z.string().trim().min(1).max(200).regex(/^[\w.@:/ -]+$/, 'letters, digits and . _ @ : / - only').optional(),
    externalId: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const idempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII, no spaces');

/** Reason codes, not free text: they are counted (override reasons) and stay readable; the note is the free text. */
export const CONFIRM_REASONS = ['prediction_correct', 'red_flag_checked', 'page_checked'] as const;
export const CORRECT_REASONS = ['wrong_urgency', 'wrong_specialty', 'wrong_urgency_and_specialty', 'red_flag_missed', 'ocr_error', 'other'] as const;
export const REJECT_REASONS = ['not_a_referral', 'duplicate', 'missing_information', 'other'] as const;

export const reviewDecision = z
  .discriminatedUnion('action', [
    z.object({ action: z.literal('confirm'), reason: z.enum(CONFIRM_REASONS).optional(), note: z.string().max(2000).optional() }).strict(),
    z
      .object({
        action: z.literal('correct'),
        urgency,
        specialty: z.string().min(1).max(100),
        reason: z.enum(CORRECT_REASONS).optional(),
        note: z.string().max(2000).optional(),
      })
      .strict(),
    z
      .object({
        action: z.literal('reject'),
        reason: z.enum(REJECT_REASONS),
        note: z.string().max(2000).optional(),
      })
      .strict(),
  ]);
export type ReviewDecision = z.infer<typeof reviewDecision>;

export const documentError = z.object({ reason: failureReason, message: z.string() });

/** The document's text is its pages joined by this; evidence offsets index into that string. */
export const PAGE_SEPARATOR = '\n\n';
export function joinPageTexts(texts: readonly string[]): string {
  return texts.join(PAGE_SEPARATOR);
}
