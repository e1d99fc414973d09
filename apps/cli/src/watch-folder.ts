import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { acceptDocument } from '@triage/api';
import { ConfigError } from '@triage/config';
import { recordAudit } from '@triage/db';
import type { Runtime } from './runtime.ts';

export type AcceptFile = (bytes: Buffer, file: { name: string; source: string }) => Promise<{ id: string; duplicate: boolean }>;
export type WatchLog = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
export type FolderWatch = { close(): Promise<void>; scanned(): Promise<void> };
export type FolderWatchOptions = { dir: string; stableMs?: number; pollMs?: number; maxBytes?: number };

const PROCESSING = '.processing';
/** Names senders write under before renaming: never taken, whatever their age. */
const TEMPORARY = /^\.|\.(tmp|part|partial)$/i;
const finalName = (n: string) => n.replace(/\.(tmp|part|partial)$/i, '').replace(/^\./, '');
/** `.processing/<claim id>~<name>`: a fresh id per claim, so a second file of the same name never overwrites the first. */
const CLAIMED = /^[0-9a-f]{12}~(.+)$/;
const MAX_BACKOFF_MS = 60_000;

/** File names can carry patient names (fax servers name files by sender or patient): logs get a hash prefix instead. */
export const nameRef = (name: string) => createHash('sha256').update(name).digest('hex').slice(0, 12);

type Seen = { size: number; mtimeMs: number; ino: number; since: number };
/** A file this watcher holds in .processing/; `expect` is the size and mtime it was taken at (checked before reading). */
type Held = { path: string; name: string; attempts: number; nextAt: number; expect?: { size: number; mtimeMs: number } };
type Why = { reason: string; message: string };

const errCode = (e: unknown) => (e as { code?: unknown })?.code;
/** fs errors carry the path (and so the name) in their message: log their code only. */
const errInfo = (e: unknown) => ((e as { path?: unknown })?.path ? { code: errCode(e) } : { code: errCode(e), message: (e as Error)?.message });

/** The document's fault — ApiError's shape, a 4xx status and a code — sends the file to failed/; anything else is the system's. */
function rejection(e: unknown): Why | null {
  const x = e as { status?: unknown; code?: unknown; message?: unknown } | null;
  if (typeof x?.status !== 'number' || x.status < 400 || x.status >= 500) return null;
  const known: Record<string, string> = { empty_body: 'empty', payload_too_large: 'too_large', unsupported_media_type: 'unsupported_media_type' };
  return { reason: known[String(x.code)] ?? 'intake_failed', message: typeof x.message === 'string' ? x.message : String(x.code) };
}

/** A free name in done/ or failed/ (`x.pdf`, `x-1.pdf`, …), reserved by an exclusive create so two watchers never pick the same. */
async function reserve(folder: string, name: string): Promise<string> {
  const [ext, stem] = [extname(name), name.slice(0, name.length - extname(name).length)];
  for (let i = 0; ; i++) {
    const p = join(folder, i === 0 ? name : `${stem}-${i}${ext}`);
    const created = await open(p, 'wx').then(async (f) => (await f.close(), true), (e: unknown) => (errCode(e) === 'EEXIST' ? false : Promise.reject(e)));
    if (created) return p;
  }
}

/**
 * Polls `dir` (fs.watch misses events on network shares) and takes each complete file: one unchanged for `stableMs` across polls, or
 * one that appeared by renaming a temporary name (same inode). Taking is a rename into .processing/, which exactly one watcher wins.
 */
export function startFolderWatch({ accept, log }: { accept: AcceptFile; log: WatchLog }, opts: FolderWatchOptions): FolderWatch {
  const dir = resolve(opts.dir);
  const { stableMs = 2000, pollMs = 1000, maxBytes = Number.POSITIVE_INFINITY } = opts;
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new ConfigError(`${dir} is not a folder (WATCH_DIRS, triage watch DIR)`);
  for (const sub of [PROCESSING, 'done', 'failed']) mkdirSync(join(dir, sub), { recursive: true });
  const source = `folder:${basename(dir)}`;
  const seen = new Map<string, Seen>();
  const held = new Map<string, Held>();
  let failures = 0, pausedUntil = 0, closed = false; // consecutive system failures pause taking new files (backoff)
  const waiters: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const backoff = (n: number) => Math.min(pollMs * 2 ** n, MAX_BACKOFF_MS);

  /** Renames into .processing/; null when the file is gone (ENOENT: another watcher took it first). */
  const claim = (from: string, name: string): Promise<string | null> => {
    const to = join(dir, PROCESSING, `${randomBytes(6).toString('hex')}~${name}`);
    return rename(from, to).then(() => to, (e: unknown) => (errCode(e) === 'ENOENT' ? null : Promise.reject(e)));
  };

  async function finish(h: Held, to: 'done' | 'failed', why: Why | null) {
    const dest = await reserve(join(dir, to), h.name);
    await rename(h.path, dest).catch(async (e: unknown) => Promise.reject((await rm(dest, { force: true }), e)));
    held.delete(h.path);
    if (why) await writeFile(`${dest}.reason.json`, `${JSON.stringify({ ...why, at: new Date().toISOString() })}\n`);
  }

  /** Reads and accepts one held file; false when the system failed (the file stays in .processing/ for a retry). */
  async function take(h: Held): Promise<boolean> {
    const file = nameRef(h.name);
    held.set(h.path, h);
    try {
      const { size, mtimeMs } = await stat(h.path);
      if (h.expect && (h.expect.size !== size || h.expect.mtimeMs !== mtimeMs)) {
        // Still being written (its writer keeps the open file across our rename): wait for it to settle in .processing/.
        Object.assign(h, { expect: { size, mtimeMs }, nextAt: Date.now() + stableMs });
        return true;
      }
      let why: Why | null = size === 0 ? { reason: 'empty', message: 'the file is empty' } : null;
      if (size > maxBytes) why = { reason: 'too_large', message: `${size} bytes, over the limit of ${maxBytes}` };
      if (!why) {
        const bytes = await readFile(h.path);
        try {
          const r = await accept(bytes, { name: h.name, source });
          await finish(h, 'done', null);
          log.info({ file, source, bytes: size, documentId: r.id, duplicate: r.duplicate }, 'folder file accepted');
          failures = 0;
          return true;
        } catch (e) {
          why = rejection(e);
          if (!why) throw e;
        }
      }
      await finish(h, 'failed', why);
      log.warn({ file, source, bytes: size, reason: why.reason }, 'folder file refused; moved to failed/');
      return true;
    } catch (e) {
      // Gone from .processing/: another watcher re-took it on its start (intake dedups by sha256, so no second document).
      if (errCode(await stat(h.path).then(() => null, (x: unknown) => x)) === 'ENOENT') {
        held.delete(h.path);
        return true;
      }
      h.nextAt = Date.now() + backoff(++h.attempts);
      pausedUntil = Date.now() + backoff(++failures);
      log.warn({ file, source, attempts: h.attempts, err: errInfo(e) }, 'folder file not accepted (system error); kept for a retry');
      return false;
    }
  }

  /** A crash mid-file leaves it in .processing/: claim it again (a fresh id, so one watcher wins) and take it as new. */
  async function recover() {
    for (const e of await readdir(join(dir, PROCESSING), { withFileTypes: true })) {
      if (!e.isFile()) continue;
      const name = CLAIMED.exec(e.name)?.[1] ?? e.name;
      const path = await claim(join(dir, PROCESSING, e.name), name);
      if (path) held.set(path, { path, name, attempts: 0, nextAt: 0 });
    }
  }

  async function pass() {
    const now = Date.now();
    const present = new Set<string>();
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (!e.isFile()) continue;
      const st = await stat(join(dir, e.name)).catch(() => null);
      if (!st) continue; // taken by another watcher between readdir and stat
      present.add(e.name);
      const prev = seen.get(e.name);
      if (prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs) continue;
      // First seen under its final name, with the inode of a temporary name seen before: it was renamed, so it is complete.
      const renamed = !prev && st.ino !== 0 && [...seen].some(([n, s]) => n !== e.name && TEMPORARY.test(n) && finalName(n) === e.name && s.ino === st.ino);
      seen.set(e.name, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, since: renamed ? Number.NEGATIVE_INFINITY : now });
    }
    for (const n of seen.keys()) if (!present.has(n)) seen.delete(n);
    if (Date.now() < pausedUntil) return;
    // New files first, so one file that keeps failing does not hold up the others.
    for (const [name, s] of seen) {
      if (closed || TEMPORARY.test(name) || now - s.since < stableMs) continue;
      seen.delete(name);
      const path = await claim(join(dir, name), name).catch((e: unknown) => void log.warn({ file: nameRef(name), source, err: errInfo(e) }, 'folder file not taken; next poll'));
      if (path && !(await take({ path, name, attempts: 0, nextAt: 0, expect: { size: s.size, mtimeMs: s.mtimeMs } }))) return;
    }
    for (const h of [...held.values()]) if (!closed && h.nextAt <= Date.now() && !(await take(h))) return;
  }

  const loop = (async () => {
    await recover().catch((e: unknown) => log.warn({ source, err: errInfo(e) }, 'could not list .processing/'));
    while (!closed) {
      const batch = waiters.splice(0);
      await pass().catch((e: unknown) => log.warn({ source, err: errInfo(e) }, 'folder poll failed'));
      for (const w of batch) w();
      if (!closed && waiters.length === 0) await new Promise<void>((r) => ((wake = r), (timer = setTimeout(r, pollMs))));
    }
    for (const w of waiters) w();
  })();
  const kick = () => (clearTimeout(timer), wake?.());

  return {
    scanned: () => (closed ? Promise.resolve() : new Promise<void>((r) => (waiters.push(r), kick()))),
    async close() {
      closed = true;
      kick();
      await loop;
    },
  };
}

type WatchRuntime = Pick<Runtime, 'dbh' | 'blobs' | 'keyring' | 'queues' | 'log' | 'config'>;

/** `triage worker` and `triage watch`: each folder's files are accepted as if uploaded, with no token (created_by null). */
export function startWatchDirs(rt: WatchRuntime, dirs: readonly string[], opts: { stableMs?: number } = {}): { close(): Promise<void> } {
  const deps = { db: rt.dbh.db, blobs: rt.blobs, keyring: rt.keyring, queues: rt.queues, log: rt.log };
  const accept: AcceptFile = async (bytes, file) => {
    const r = await acceptDocument(deps, { tokenId: null, name: file.source }, { bytes, source: file.source });
    // The same trail an upload leaves (the route audits it there); ids only.
    await recordAudit(deps.db, { actor: file.source, action: r.duplicate ? 'document_duplicate' : 'document_received', documentId: r.id, detail: { channel: 'folder' } });
    return r;
  };
  const watches = dirs.map((dir) => startFolderWatch({ accept, log: rt.log }, { dir, maxBytes: rt.config.MAX_UPLOAD_BYTES, ...opts }));
  if (watches.length) rt.log.info({ sources: dirs.map((d) => `folder:${basename(resolve(d))}`) }, 'watching folders');
  return { close: async () => void (await Promise.all(watches.map((w) => w.close()))) };
}
