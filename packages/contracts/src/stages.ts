import { z } from 'zod';

export const STAGES = ['extract', 'ocr', 'fields', 'classify', 'persist', 'notify'] as const;
export const stageName = z.enum(STAGES);
export type StageName = z.infer<typeof stageName>;

/**
 * Every stage job carries ids only: never text, never patient fields.
 * `run` is the pipeline pass: 1 on intake, +1 on every replay or review decision,
 * so a new pass gets new deterministic job ids while history stays intact.
 */
export const stagePayload = z
  .object({
    documentId: z.string().uuid(),
    run: z.number().int().min(1),
  })
  .strict();
export type StagePayload = z.infer<typeof stagePayload>;

export type RetryPolicy = { attempts: number; backoffMs: number };

/** Deterministic BullMQ job id: the same stage of the same pass is enqueued once. */
export function jobIdFor(stage: StageName, p: StagePayload): string {
  // BullMQ forbids ':' in custom ids (it is its key separator), so '|' stands in.
  return `${p.documentId}|${stage}|${p.run}`;
}
