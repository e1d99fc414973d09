import { parentPort } from 'node:worker_threads';
import { readAcroFormInProcess } from './acroform.ts';
import { DocumentError, errorName, PageRangeError } from './errors.ts';
import { extractInProcess } from './extract.ts';
import { preloadPdfjs } from './pdf.ts';
import { renderInProcess } from './render.ts';
import type { DocumentFailureReason } from './errors.ts';
import type { AcroField, AcroFormLimits, DocumentKind, ExtractedPage, ExtractLimits, RenderOptions } from './types.ts';

export type IsolateJob =
  | { id: number; op: 'extract'; bytes: Uint8Array; kind: DocumentKind; limits: ExtractLimits }
  | { id: number; op: 'render'; bytes: Uint8Array; kind: DocumentKind; pageNo: number; opts: RenderOptions }
  | { id: number; op: 'acroform'; bytes: Uint8Array; limits: AcroFormLimits };

export type IsolateFailure =
  | { type: 'document'; reason: DocumentFailureReason; message: string; permanent: boolean }
  | { type: 'range'; message: string }
  | { type: 'internal'; message: string };

export type IsolateReply =
  | { id: number; ok: true; pages: ExtractedPage[] }
  | { id: number; ok: true; png: Uint8Array }
  | { id: number; ok: true; fields: AcroField[] }
  | { id: number; ok: false; failure: IsolateFailure };

export type IsolateReady = { ready: true };

function describe(err: unknown): IsolateFailure {
  if (err instanceof DocumentError) {
    return { type: 'document', reason: err.reason, message: err.message, permanent: err.permanent };
  }
  if (err instanceof PageRangeError) return { type: 'range', message: err.message };
  // Library messages can quote content; only the class name crosses the thread boundary.
  return { type: 'internal', message: `document worker failed (${errorName(err)})` };
}

async function handle(job: IsolateJob): Promise<void> {
  const port = parentPort!;
  try {
    if (job.op === 'extract') {
      const pages = await extractInProcess(job.bytes, job.kind, job.limits);
      port.postMessage({ id: job.id, ok: true, pages } satisfies IsolateReply);
    } else if (job.op === 'acroform') {
      const fields = await readAcroFormInProcess(job.bytes, job.limits);
      port.postMessage({ id: job.id, ok: true, fields } satisfies IsolateReply);
    } else {
      const buf = await renderInProcess(job.bytes, job.kind, job.pageNo, job.opts);
      // Own the memory outright so it can be transferred instead of copied.
      const png = new Uint8Array(buf);
      port.postMessage({ id: job.id, ok: true, png } satisfies IsolateReply, [png.buffer]);
    }
  } catch (err) {
    port.postMessage({ id: job.id, ok: false, failure: describe(err) } satisfies IsolateReply);
  }
}

if (!parentPort) throw new Error('isolate-worker must run in a worker thread');
await preloadPdfjs();
parentPort.on('message', (job: IsolateJob) => void handle(job));
parentPort.postMessage({ ready: true } satisfies IsolateReady);
