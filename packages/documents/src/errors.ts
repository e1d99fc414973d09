export type DocumentFailureReason =
  | 'unreadable'
  | 'encrypted'
  | 'too_many_pages'
  | 'too_large'
  | 'timeout'
  | 'memory'
  | 'unsupported';

// Only a timeout may pass on retry (machine load); the rest are properties of the bytes.
const TRANSIENT: ReadonlySet<DocumentFailureReason> = new Set(['timeout']);

/**
 * A document-caused failure. Messages are fixed phrases plus library error *names*:
 * never document text, so they are safe to log and store.
 */
export class DocumentError extends Error {
  readonly reason: DocumentFailureReason;
  readonly permanent: boolean;

  constructor(reason: DocumentFailureReason, message: string, permanent = !TRANSIENT.has(reason)) {
    super(message);
    this.name = 'DocumentError';
    this.reason = reason;
    this.permanent = permanent;
  }
}

export function isDocumentError(err: unknown): err is DocumentError {
  return err instanceof DocumentError;
}

/** Name of a thrown value's class, for messages that must not echo library text. */
export function errorName(err: unknown): string {
  if (err instanceof Error) return err.name || err.constructor.name || 'Error';
  return typeof err;
}

/** A page number outside the document: a caller bug, not a document failure. */
export class PageRangeError extends RangeError {
  constructor(pageNo: number, total: number) {
    super(`page ${pageNo} out of range 1..${total}`);
    this.name = 'PageRangeError';
  }
}
