import type { Logger } from 'pino';
import type { StageName, OutcomeOf } from '@triage/contracts';
import type { DocumentRow, Tx } from '@triage/db';

export type StageContext = {
  documentId: string;
  run: number;
  attempt: number;
  log: Logger;
};

export type HandlerResult<S extends StageName> = {
  outcome: OutcomeOf<S>;
  /** Writes of the stage's output; the runner runs it in the transaction that marks the stage done. */
  commit?: (tx: Tx) => Promise<void>;
  outputDigest?: string;
  modelVersion?: string;
  policyVersion?: string;
  detail?: Record<string, unknown>;
};

export type StageHandler<S extends StageName> = (ctx: StageContext, doc: DocumentRow) => Promise<HandlerResult<S>>;

/** Every stage must have a handler: a missing key is a compile error. */
export type HandlerCatalog = { [S in StageName]: StageHandler<S> };
