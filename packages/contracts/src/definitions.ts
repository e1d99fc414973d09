import type { z } from 'zod';
import { stagePayload, type RetryPolicy, type StageName } from './stages.ts';
import { stageOutcomes } from './outcomes.ts';

/** A stage's contract: what it takes, what it returns, how it retries, which version of it ran. */
export type StageDefinition<S extends StageName> = {
  name: S;
  version: string;
  payload: typeof stagePayload;
  outcome: (typeof stageOutcomes)[S];
  retry: RetryPolicy;
  /** BullMQ lock; long stages get a longer one so a slow page is not taken as stalled. */
  lockMs: number;
  /** Concurrency weight hint: OCR is CPU-bound, the rest mostly wait on I/O. */
  cpuBound: boolean;
};

export const stageDefinitions: { [S in StageName]: StageDefinition<S> } = {
  extract: { name: 'extract', version: '1', payload: stagePayload, outcome: stageOutcomes.extract, retry: { attempts: 5, backoffMs: 1000 }, lockMs: 60_000, cpuBound: true },
  ocr: { name: 'ocr', version: '1', payload: stagePayload, outcome: stageOutcomes.ocr, retry: { attempts: 5, backoffMs: 2000 }, lockMs: 120_000, cpuBound: true },
  // The version is the rules' own (FIELDS_VERSION, recorded per attempt); this one versions the stage contract.
  fields: { name: 'fields', version: '1', payload: stagePayload, outcome: stageOutcomes.fields, retry: { attempts: 5, backoffMs: 1000 }, lockMs: 60_000, cpuBound: false },
  classify: { name: 'classify', version: '1', payload: stagePayload, outcome: stageOutcomes.classify, retry: { attempts: 5, backoffMs: 1000 }, lockMs: 30_000, cpuBound: false },
  persist: { name: 'persist', version: '1', payload: stagePayload, outcome: stageOutcomes.persist, retry: { attempts: 8, backoffMs: 1000 }, lockMs: 30_000, cpuBound: false },
  notify: { name: 'notify', version: '1', payload: stagePayload, outcome: stageOutcomes.notify, retry: { attempts: 12, backoffMs: 2000 }, lockMs: 60_000, cpuBound: false },
};

export type OutcomeOf<S extends StageName> = z.infer<(typeof stageOutcomes)[S]>;
