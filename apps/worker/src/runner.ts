import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { nextAfter, stageDefinitions, stagePayload, type StageName, type Transition } from '@triage/contracts';
import { beginAttempt, commitStage, endAttempt, setDocumentState, type Db } from '@triage/db';
import type { StageQueues } from '@triage/queue';
import { classifyError, PermanentError } from './errors.ts';
import type { StageHandler } from './stage-handler.ts';
import type { StageMetrics } from './metrics.ts';

export type RunnerDeps = {
  db: Db;
  queues: Pick<StageQueues, 'enqueue'>;
  log: Logger;
  workerId: string;
  codeVersion: string;
  metrics?: StageMetrics;
  /** Attempts that died without ending (worker killed or hung) before a document is quarantined. */
  poisonLimit?: number;
};

/** The slice of a BullMQ job the runner needs; tests pass plain objects. */
export type JobLike = { id?: string | undefined; data: unknown; attemptsMade: number; attemptsStarted?: number; opts: { attempts?: number } };

export type RunResult = { status: 'succeeded' | 'skipped' | 'failed'; transition?: Transition };

/** Thrown inside the commit transaction to roll back a stage another execution already committed. */
const LOST_RACE = Symbol('lost_race');

/**
 * What every stage needs, done once: parse the payload, re-read the ledger, skip committed work,
 * record the attempt, commit output and state atomically, enqueue the next stage, classify errors.
 */
export async function runStage<S extends StageName>(
  stage: S,
  handler: StageHandler<S>,
  job: JobLike,
  deps: RunnerDeps,
): Promise<RunResult> {
  const def = stageDefinitions[stage];
  const parsed = stagePayload.safeParse(job.data);
  if (!parsed.success) {
    deps.log.error({ stage, jobId: job.id }, 'bad job payload; dropping job');
    throw new UnrecoverableError('bad_payload');
  }
  const { documentId, run } = parsed.data;
  const log = deps.log.child({ stage, documentId, run, jobId: job.id });
  const attempt = job.attemptsStarted ?? job.attemptsMade + 1;
  // Recorded before any work, so an attempt whose worker dies still shows (as `running`) in the provenance.
  const state = await beginAttempt(deps.db, {
    documentId,
    stage,
    run,
    jobId: job.id ?? 'none',
    attempt,
    worker: deps.workerId,
    codeVersion: `${deps.codeVersion}/${stage}@${def.version}`,
  });
  if (!state) {
    log.error('job for unknown document; dropping job');
    throw new UnrecoverableError('unknown_document');
  }
  const { doc, attemptId } = state;
  const started = performance.now();
  const observe = (outcome: string) => deps.metrics?.observe(stage, outcome, (performance.now() - started) / 1000);
  const finish = async (outcome: string, extra: Parameters<typeof endAttempt>[2] = { outcome }) => {
    await endAttempt(deps.db, attemptId, { ...extra, outcome });
    observe(outcome);
  };

  // A newer pass (replay, review decision) supersedes this job; a closed document takes no more work.
  if (doc.run !== run || doc.status === 'failed' || doc.status === 'rejected') {
    await finish('skipped', { outcome: 'skipped', detail: { why: doc.run !== run ? 'superseded_run' : `document_${doc.status}` } });
    log.info('skipped: stale job');
    return { status: 'skipped' };
  }

  if (state.committed) {
    const transition = await advance(stage, def.outcome.parse(state.committed.outcome) as never, parsed.data, deps);
    await finish('skipped', { outcome: 'skipped', outputDigest: state.committed.outputDigest, detail: { why: 'already_committed' } });
    log.info('skipped: output already committed');
    return { status: 'skipped', transition };
  }

  if (state.unfinished >= (deps.poisonLimit ?? 3)) {
    const msg = `${state.unfinished} attempts died without finishing; quarantined`;
    await failDocument(deps.db, documentId, run, 'poison', msg);
    await finish('failed', { outcome: 'failed', errorClass: 'poison', errorMessage: msg });
    log.error({ dead: state.unfinished }, 'poison document quarantined');
    throw new UnrecoverableError('poison');
  }

  try {
    const result = await handler({ documentId, run, attempt, log }, doc);
    const outcome = def.outcome.parse(result.outcome);
    const transition = nextAfter(stage, outcome as never);
    const end = {
      outputDigest: result.outputDigest ?? null,
      modelVersion: result.modelVersion ?? null,
      policyVersion: result.policyVersion ?? null,
    };
    // Output, stage marker, document state and the attempt's end commit together or not at all.
    const marker = { documentId, stage, run, attemptId, outcome, ...end, detail: { outcome, ...result.detail }, next: transition };
    const commit = result.commit;
    const won = commit
      ? await deps.db
          .transaction(async (tx) => {
            await commit(tx);
            if (!(await commitStage(tx, marker))) throw LOST_RACE;
            return true;
          })
          .catch((e: unknown) => {
            if (e === LOST_RACE) return false;
            throw e;
          })
      : await commitStage(deps.db, marker); // one statement: atomic without a transaction
    if (won) observe('succeeded');
    else await finish('skipped', { outcome: 'skipped', ...end, detail: { why: 'lost_race' } });
    if (transition.kind === 'next') await deps.queues.enqueue(transition.stage, parsed.data);
    const status = won ? 'succeeded' : 'skipped';
    log.info({ outcome: outcome.type, next: transition.kind === 'next' ? transition.stage : transition.status }, `${stage} ${status}`);
    return { status, transition };
  } catch (e) {
    const c = classifyError(e);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? def.retry.attempts);
    if (c.class === 'transient' && !lastAttempt) {
      await finish('retry', { outcome: 'retry', errorClass: c.class, errorMessage: `${c.name}: ${c.message}` });
      log.warn({ err: { name: c.name, message: c.message }, attempt }, `${stage} failed; will retry`);
      // BullMQ keeps the thrown message and stack in Redis: only the scrubbed text may reach it.
      throw scrubbedError(c);
    }
    // A typed transient failure (a parse deadline, say) keeps its reason when retries run out.
    const reason = c.class === 'transient' && c.reason === 'internal' ? 'retries_exhausted' : c.reason;
    await failDocument(deps.db, documentId, run, reason, `${stage}: ${c.message}`);
    await finish('failed', { outcome: 'failed', errorClass: c.class, errorMessage: `${c.name}: ${c.message}` });
    log.error({ err: { name: c.name, message: c.message }, reason }, `${stage} failed permanently`);
    throw new UnrecoverableError(reason);
  }
}

async function advance<S extends StageName>(
  stage: S,
  outcome: Parameters<typeof nextAfter<S>>[1],
  payload: { documentId: string; run: number },
  deps: RunnerDeps,
): Promise<Transition> {
  const transition = nextAfter(stage, outcome);
  // The crash may have come between commit and enqueue: enqueueing again is safe (same job id).
  if (transition.kind === 'next') await deps.queues.enqueue(transition.stage, payload);
  return transition;
}

export async function failDocument(db: Db, documentId: string, run: number, reason: string, message: string) {
  await setDocumentState(db, documentId, run, {
    status: 'failed',
    failureReason: reason,
    failureMessage: message.slice(0, 500),
    completedAt: new Date(),
  });
}

export { PermanentError };

function scrubbedError(c: { name: string; message: string }): Error {
  const e = new Error(c.message);
  e.name = c.name;
  e.stack = `${c.name}: ${c.message}`;
  return e;
}
