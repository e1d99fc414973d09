import { createWorker, OEM, PSM } from 'tesseract.js';
import type { Worker as TesseractWorker } from 'tesseract.js';
import type { Worker as ThreadWorker } from 'node:worker_threads';
import { engLangDir, osdLangDir } from './assets.ts';
import { DocumentError } from './errors.ts';
import { DEFAULT_ORIENTATION_POLICY, recognizeOriented, toOcrResult, toRotation } from './orientation.ts';
import type { OrientationPolicy, OsdResult, RawOcr } from './orientation.ts';
import { ResourcePool } from './pool.ts';
import { parseTsv } from './tsv.ts';
import type { OcrEngine } from './types.ts';

export type TesseractJsEngineOptions = {
  /** Long-lived recognition workers (threads); pages queue for a free one. */
  workers: number;
  /** Detect and undo 90/180/270° rotation (default true). */
  orientation?: boolean;
  /**
   * Also ask tesseract's OSD when both the upright and the flipped pass read poorly
   * (default false). Costs a legacy-engine worker of ~150 MB RSS, created on first need.
   */
  osd?: boolean;
  policy?: OrientationPolicy;
  /** A page whose OCR runs longer kills its worker and fails with 'timeout' (default 120 s). */
  pageTimeoutMs?: number;
  /** Replace a worker after this many pages: its wasm heap only ever grows (default 200). */
  recycleAfterPages?: number;
};

export type Recognizer = { tess: TesseractWorker; crashed: Promise<never> };

/**
 * tesseract.js engine: a lazily-filled pool of long-lived LSTM workers (threads); pages
 * queue for a free one. Orientation is handled by recognizeOriented (optionally with one
 * shared OSD worker). All language data is read from node_modules (@tesseract.js-data/*);
 * nothing is fetched or cached to disk.
 */
export function createTesseractJsEngine(opts: TesseractJsEngineOptions): OcrEngine {
  const pageTimeoutMs = opts.pageTimeoutMs ?? 120_000;
  const policy = opts.policy ?? DEFAULT_ORIENTATION_POLICY;
  const recognizers = new ResourcePool<Recognizer>({
    size: Math.max(1, Math.floor(opts.workers)),
    maxUses: opts.recycleAfterPages ?? 200,
    create: spawnRecognizer,
    destroy: terminate,
  });
  // Detection is rare (pages both passes read poorly), so one worker is enough.
  const detectors = new ResourcePool<Recognizer>({ size: 1, create: spawnDetector, destroy: terminate });
  // OSD only ever improves a reading: if it fails, the best pass so far stands.
  const detect = opts.osd
    ? (png: Buffer): Promise<OsdResult> => detectors.use((r) => detectPage(r, png, pageTimeoutMs)).catch(() => null)
    : undefined;

  return {
    name: 'tesseract.js',
    recognize: (png) =>
      recognizers.use(async (r) => {
        const recognize = (image: Buffer) => readPage(r, image, pageTimeoutMs);
        const result = opts.orientation === false
          ? { ...(await recognize(png)), rotation: 0 as const }
          : await recognizeOriented(png, { recognize, detect }, policy);
        return toOcrResult(result, 'tesseract.js');
      }),
    close: async () => {
      await Promise.all([recognizers.close(), detectors.close()]);
    },
  };
}

/** LSTM recognition worker (eng, integer "best" model). */
export const spawnRecognizer = () => spawn('eng', OEM.LSTM_ONLY, engLangDir, false);
/** Legacy-engine worker with OSD data, only for `detect()`. */
export const spawnDetector = () => spawn('osd', OEM.TESSERACT_ONLY, osdLangDir, true);

export async function readPage(r: Recognizer, png: Buffer, timeoutMs: number): Promise<RawOcr> {
  // TSV rather than `blocks`: a flat string is far cheaper to clone back to this thread
  // than the per-symbol object tree. The text is rebuilt from it too, so word offsets index it.
  const { data } = await withDeadline(r, r.tess.recognize(png, {}, { tsv: true }), timeoutMs);
  // tesseract's own mean confidence: the orientation policy was tuned on it
  return { ...parseTsv(data.tsv ?? ''), confidence: data.confidence };
}

export async function detectPage(r: Recognizer, png: Buffer, timeoutMs: number): Promise<OsdResult> {
  const { data } = await withDeadline(r, r.tess.detect(png), timeoutMs);
  const rotation = toRotation(data.orientation_degrees);
  return rotation === null ? null : { rotation, confidence: data.orientation_confidence ?? 0 };
}

async function spawn(lang: string, oem: OEM, langPath: string, legacy: boolean): Promise<Recognizer> {
  const tess = await createWorker(lang, oem, {
    langPath,
    gzip: true,
    cacheMethod: 'none', // read the packaged data every time; never write a cache into cwd
    legacyCore: legacy,
    legacyLang: legacy,
    // Without an errorHandler tesseract.js rethrows job failures inside its message
    // listener, which would crash the process; the job's promise still rejects.
    errorHandler: () => undefined,
  });
  // debug_file: tesseract's diagnostics ("Too few characters...") would go to our stdout.
  await tess.setParameters({ debug_file: '/dev/null', ...(legacy ? {} : { tessedit_pageseg_mode: PSM.AUTO }) });
  // tesseract.js never listens for the thread's 'error' event, so a wasm abort would be an
  // uncaught exception; turn it into a rejection of whatever job is running instead.
  const thread = (tess as unknown as { worker: ThreadWorker }).worker;
  const crashed = new Promise<never>((_, reject) => {
    thread.on('error', () => reject(new Error('OCR worker crashed')));
    thread.on('exit', () => reject(new Error('OCR worker exited')));
  });
  crashed.catch(() => undefined);
  return { tess, crashed };
}

export async function terminate(r: Recognizer): Promise<void> {
  await r.tess.terminate();
}

async function withDeadline<T>(r: Recognizer, job: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DocumentError('timeout', `OCR of one page exceeded ${ms} ms`)), ms);
  });
  try {
    // On timeout the pool sees the rejection and terminates this worker, ending the job.
    return await Promise.race([job, deadline, r.crashed]);
  } finally {
    clearTimeout(timer);
  }
}
