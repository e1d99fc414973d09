import type { FailureReason } from '@triage/contracts';
import { DocumentError, isDocumentError } from '@triage/documents';

export type ErrorClass = 'transient' | 'permanent' | 'poison';

/** A failure that will not go away by retrying (unreadable file, bad payload): fail at once. */
export class PermanentError extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentError';
  }
}

/** A failure worth retrying later (SMTP down, lock lost, network blip). */
export class TransientError extends Error {
  constructor(message: string, readonly delayMs?: number) {
    super(message);
    this.name = 'TransientError';
  }
}

export type ClassifiedError = { class: ErrorClass; reason: FailureReason; name: string; message: string };

type WithReason = { reason?: unknown; permanent?: unknown };

/** The one place that decides what an error means for the pipeline. */
export function classifyError(e: unknown): ClassifiedError {
  const err = e instanceof Error ? e : new Error(String(e));
  const message = scrubMessage(err.message);
  if (err instanceof PermanentError) return { class: 'permanent', reason: err.reason, name: err.name, message };
  if (err instanceof TransientError) return { class: 'transient', reason: 'internal', name: err.name, message };
  // DocumentError from @triage/documents carries its own typed reason and permanence.
  const r = err as WithReason;
  if (err.name === 'DocumentError' && typeof r.reason === 'string') {
    const reason = r.reason === 'unsupported' ? 'unsupported_type' : (r.reason as FailureReason);
    return { class: r.permanent === false ? 'transient' : 'permanent', reason, name: err.name, message };
  }
  if (err.name === 'ZodError') return { class: 'permanent', reason: 'bad_payload', name: err.name, message };
  if (err.name === 'BlobNotFoundError') return { class: 'permanent', reason: 'missing_original', name: err.name, message };
  // Wrong or missing key, or a ciphertext that is not this row's: retrying cannot help; replay after fixing the keyring.
  if (err.name === 'DecryptError') return { class: 'permanent', reason: 'undecryptable', name: err.name, message };
  // Everything else (connection errors, bugs) is retried; exhausting retries fails with retries_exhausted.
  return { class: 'transient', reason: 'internal', name: err.name, message };
}

/**
 * Error text ends up in provenance and job data, so it is cut short and stripped of anything that
 * could be document content: quoted strings, long digit runs, e-mail addresses.
 */
export function scrubMessage(message: string): string {
  return message
    .replace(/(["'`])(?:(?!\1).){1,200}\1/g, '$1…$1')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '<email>')
    .replace(/\d{4,}/g, '<n>')
    .slice(0, 300);
}

/**
 * A parse deadline gets one retry (the machine may have been busy); a second timeout on the same bytes is
 * the document, so it fails for good instead of holding a parser thread for every remaining attempt.
 */
export function finalOnRetry(attempt: number) {
  return (e: unknown): never => {
    if (attempt >= 2 && isDocumentError(e) && e.reason === 'timeout' && !e.permanent) throw new DocumentError('timeout', e.message, true);
    throw e;
  };
}
