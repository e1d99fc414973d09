import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { DocumentError } from './errors.ts';
import { DEFAULT_ORIENTATION_POLICY, recognizeOriented, toOcrResult, toRotation } from './orientation.ts';
import type { OrientationPolicy, OsdResult, RawOcr } from './orientation.ts';
import { ResourcePool } from './pool.ts';
import { parseTsv } from './tsv.ts';
import type { OcrEngine } from './types.ts';

export type NativeTesseractOptions = {
  /** Concurrent tesseract processes (default 1). Each is single-threaded (OMP_THREAD_LIMIT=1). */
  workers?: number;
  pageTimeoutMs?: number;
  binary?: string;
  /** Ask `tesseract --psm 0` when both passes read poorly (default true: a short extra process). */
  osd?: boolean;
  policy?: OrientationPolicy;
};

/**
 * The system `tesseract` CLI, when installed (Debian: tesseract-ocr tesseract-ocr-eng), for
 * operators who want its speed and for benchmarking. Returns null when it is not on PATH.
 */
export function createNativeTesseractEngine(opts: NativeTesseractOptions = {}): OcrEngine | null {
  const bin = findOnPath(opts.binary ?? 'tesseract');
  if (!bin) return null;
  const timeoutMs = opts.pageTimeoutMs ?? 120_000;
  const slots = new ResourcePool<number>({
    size: Math.max(1, Math.floor(opts.workers ?? 1)),
    create: async () => 0,
    destroy: async () => undefined,
  });
  const recognize = async (png: Buffer): Promise<RawOcr> => parseTsv(await run(bin, ['--psm', '3', '-l', 'eng', 'tsv'], png, timeoutMs));
  const detect = async (png: Buffer): Promise<OsdResult> => {
    const out = await run(bin, ['--psm', '0'], png, timeoutMs).catch(() => '');
    const rotation = toRotation(Number(/Rotate: (\d+)/.exec(out)?.[1] ?? Number.NaN));
    const confidence = Number(/Orientation confidence: ([\d.]+)/.exec(out)?.[1] ?? 0);
    return rotation === null ? null : { rotation, confidence };
  };
  return {
    name: 'tesseract-cli',
    recognize: (png) =>
      slots.use(async () => {
        const ops = opts.osd === false ? { recognize } : { recognize, detect };
        return toOcrResult(await recognizeOriented(png, ops, opts.policy ?? DEFAULT_ORIENTATION_POLICY), 'tesseract-cli');
      }),
    close: () => slots.close(),
  };
}

export function findOnPath(name: string): string | null {
  const candidates = name.includes(path.sep) ? [name] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function run(bin: string, args: string[], input: Buffer, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // One thread per process: parallelism comes from the pool, and OpenMP threads on a
    // 2-core box only fight each other.
    const child = spawn(bin, ['stdin', 'stdout', ...args], {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new DocumentError('timeout', `tesseract exceeded ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(chunks).toString('utf8'));
      else reject(new Error(`tesseract exited with code ${code}`));
    });
    child.stdin.on('error', () => undefined); // EPIPE if tesseract rejects the image early
    child.stdin.end(input);
  });
}
