import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DocumentError, errorName, PageRangeError } from './errors.ts';
import type { IsolateFailure, IsolateJob, IsolateReady, IsolateReply } from './isolate-worker.ts';
import { decodeText } from './text.ts';
import type { AcroField, AcroFormLimits, DocumentKind, ExtractedPage, ExtractLimits, RenderOptions } from './types.ts';

const BOOT = new URL('./isolate-boot.mjs', import.meta.url);
const ENTRY = new URL('./isolate-worker.ts', import.meta.url).href;
// Copies of the caller's bytes are transferred (Buffer#slice would be a view and detach theirs).
// Startup (tsx + pdf.js load, ~0.5 s) is our code, not the document's: it gets its own budget.
const STARTUP_TIMEOUT_MS = 30_000;
const IDLE_MS = 30_000;
// Parsing is CPU-bound: more threads than cores only adds startup cost and memory. Callers queue for
// a thread; their deadline starts when their job does.
const MAX_LIVE = Math.max(1, Number(process.env.PARSE_WORKERS) || availableParallelism());
const MAX_IDLE = MAX_LIVE;
// Recycle now and then: pdf.js caches and heap fragmentation only grow.
const MAX_JOBS_PER_WORKER = 50;

type Slot = { worker: Worker; memoryMb: number; jobs: number; idleTimer?: NodeJS.Timeout; dead?: boolean };
type Waiter = { memoryMb: number; resolve: (s: Slot) => void; reject: (e: Error) => void };
type JobInput = DistributiveOmit<IsolateJob, 'id'>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

const idle: Slot[] = [];
const waiters: Waiter[] = [];
let live = 0;
let nextJobId = 1;

/**
 * Text layer / page list of a document. PDF and image work runs in a worker thread with a
 * heap cap and a hard deadline, so a hostile file cannot stall the event loop that renews
 * queue locks. Plain text is decoded in place.
 */
export async function extractPages(bytes: Uint8Array, kind: DocumentKind, limits: ExtractLimits): Promise<ExtractedPage[]> {
  if (kind === 'text') return withinTextLimit([{ pageNo: 1, text: decodeText(bytes), source: 'plain' }], limits);
  const reply = await runIsolated({ op: 'extract', bytes: new Uint8Array(bytes), kind, limits }, limits);
  if (!('pages' in reply)) throw new Error('document worker sent no pages');
  return withinTextLimit(reply.pages, limits);
}

function withinTextLimit(pages: ExtractedPage[], limits: Pick<ExtractLimits, 'maxTextChars'>): ExtractedPage[] {
  const chars = pages.reduce((n, p) => n + p.text.length, 0);
  if (chars > limits.maxTextChars) throw new DocumentError('too_large', `document text has ${chars} characters, limit is ${limits.maxTextChars}`);
  return pages;
}

/** One page (1-based) as a grayscale PNG ready for OCR, rendered in a worker thread. */
export async function renderPage(bytes: Uint8Array, kind: DocumentKind, pageNo: number, opts: RenderOptions): Promise<Buffer> {
  if (kind === 'text') throw new DocumentError('unsupported', 'text documents have no pages to render');
  const reply = await runIsolated({ op: 'render', bytes: new Uint8Array(bytes), kind, pageNo, opts }, opts);
  if (!('png' in reply)) throw new Error('document worker sent no image');
  return Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength);
}

/**
 * The AcroForm fields of a PDF (pdf-lib, in a worker thread under the same deadline and heap
 * cap as extraction). A PDF without a form gives []; see readAcroFormInProcess for failures and caps.
 */
export async function readAcroForm(pdf: Uint8Array, limits: AcroFormLimits): Promise<AcroField[]> {
  const reply = await runIsolated({ op: 'acroform', bytes: new Uint8Array(pdf), limits: acroFormLimits(limits) }, limits);
  if (!('fields' in reply)) throw new Error('document worker sent no form fields');
  return reply.fields;
}

// Only what the worker needs crosses the thread: callers may pass a larger limits object.
function acroFormLimits(l: AcroFormLimits): AcroFormLimits {
  return { timeoutMs: l.timeoutMs, maxMemoryMb: l.maxMemoryMb, maxFields: l.maxFields, maxValueChars: l.maxValueChars, maxTextChars: l.maxTextChars };
}

/** Ends idle document workers (tests, graceful shutdown). Busy ones finish or time out. */
export async function closeDocumentWorkers(): Promise<void> {
  const slots = idle.splice(0);
  await Promise.all(slots.map((s) => kill(s)));
}

async function runIsolated(input: JobInput, limits: { timeoutMs: number; maxMemoryMb: number }): Promise<IsolateReply & { ok: true }> {
  const slot = await acquire(limits.maxMemoryMb);
  const job = { ...input, id: nextJobId++ } as IsolateJob;
  slot.jobs++;
  slot.worker.ref();
  return new Promise((resolve, reject) => {
    const { worker } = slot;
    const done = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      void kill(slot);
      reject(new DocumentError('timeout', `document processing exceeded ${limits.timeoutMs} ms`));
    }, limits.timeoutMs);
    const onMessage = (msg: IsolateReply) => {
      if (msg.id !== job.id) return;
      done();
      release(slot);
      if (msg.ok) resolve(msg);
      else reject(toError(msg.failure));
    };
    const onError = (err: Error) => {
      done();
      void kill(slot);
      reject(workerFailure(err));
    };
    const onExit = (code: number) => {
      done();
      void kill(slot);
      reject(new Error(`document worker exited unexpectedly (code ${code})`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(job, [job.bytes.buffer as ArrayBuffer]);
  });
}

function toError(failure: IsolateFailure): Error {
  if (failure.type === 'document') return new DocumentError(failure.reason, failure.message, failure.permanent);
  if (failure.type === 'range') return Object.assign(new RangeError(failure.message), { name: PageRangeError.name });
  return new Error(failure.message);
}

function workerFailure(err: Error): Error {
  const code = (err as { code?: string }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return new DocumentError('memory', 'document processing exceeded its memory limit');
  return new Error(`document worker crashed (${errorName(err)})`);
}

async function acquire(memoryMb: number): Promise<Slot> {
  const i = idle.findIndex((s) => s.memoryMb === memoryMb);
  if (i >= 0) {
    const [slot] = idle.splice(i, 1);
    clearTimeout(slot!.idleTimer);
    return slot!;
  }
  // An idle thread with another heap cap is of no use to this caller: make room for one that is.
  if (live >= MAX_LIVE && idle.length > 0) void kill(idle.shift()!);
  if (live < MAX_LIVE) return start(memoryMb);
  return new Promise((resolve, reject) => waiters.push({ memoryMb, resolve, reject }));
}

async function start(memoryMb: number): Promise<Slot> {
  live++;
  try {
    return await spawn(memoryMb);
  } catch (e) {
    live--;
    wakeWaiter();
    throw e;
  }
}

function wakeWaiter(): void {
  if (live >= MAX_LIVE) return;
  const w = waiters.shift();
  if (w) start(w.memoryMb).then(w.resolve, w.reject);
}

function release(slot: Slot): void {
  if (slot.jobs >= MAX_JOBS_PER_WORKER) {
    void kill(slot);
    return;
  }
  const w = waiters.findIndex((x) => x.memoryMb === slot.memoryMb);
  if (w >= 0) {
    waiters.splice(w, 1)[0]!.resolve(slot);
    return;
  }
  if (idle.length >= MAX_IDLE) {
    void kill(slot);
    return;
  }
  slot.worker.unref(); // an idle worker must not keep the process alive
  slot.idleTimer = setTimeout(() => {
    const at = idle.indexOf(slot);
    if (at >= 0) idle.splice(at, 1);
    void kill(slot);
  }, IDLE_MS).unref();
  idle.push(slot);
}

async function kill(slot: Slot): Promise<void> {
  clearTimeout(slot.idleTimer);
  if (!slot.dead) {
    slot.dead = true;
    live--;
    wakeWaiter();
  }
  await slot.worker.terminate().catch(() => undefined);
}

function spawn(memoryMb: number): Promise<Slot> {
  const worker = new Worker(BOOT, {
    workerData: { entry: ENTRY },
    // Not the parent's flags: under `tsx` they would route pdf.js through its transformer
    // before isolate-boot.mjs gets to preload it (≈ +80 MB heap).
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
  });
  const slot: Slot = { worker, memoryMb, jobs: 0 };
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      slot.dead = true; // start() gives the capacity back
      void slot.worker.terminate().catch(() => undefined);
      reject(new Error('document worker did not start in time'));
    }, STARTUP_TIMEOUT_MS);
    const onMessage = (msg: IsolateReady) => {
      if (!msg.ready) return;
      done();
      resolve(slot);
    };
    const onError = (err: Error) => {
      done();
      slot.dead = true; // start() gives the capacity back
      void slot.worker.terminate().catch(() => undefined);
      reject(new Error(`document worker failed to start (${errorName(err)}: ${err.message})`));
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`document worker exited during startup (code ${code})`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
