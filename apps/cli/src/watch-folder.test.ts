import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@triage/testkit';
import { nameRef, startFolderWatch, type AcceptFile, type FolderWatch, type FolderWatchOptions } from './watch-folder.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function folder(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'triage-watch-'));
  cleanup.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

/** A fake intake: records what it was given; `fail` decides per call whether to throw instead. */
function fakeIntake(fail: (bytes: Buffer) => Error | null = () => null) {
  const calls: string[] = [];
  const logs: string[] = [];
  const accept: AcceptFile = async (bytes) => {
    calls.push(bytes.toString());
    const e = fail(bytes);
    if (e) throw e;
    return { id: `doc-${calls.length}`, duplicate: false };
  };
  const line = (o: object, msg: string) => void logs.push(JSON.stringify({ ...o, msg }));
  return { calls, logs, accept, log: { info: line, warn: line } };
}

function watch(deps: ReturnType<typeof fakeIntake>, opts: FolderWatchOptions): FolderWatch {
  const w = startFolderWatch(deps, { pollMs: 10, stableMs: 50, ...opts });
  cleanup.push(() => w.close());
  return w;
}

const ls = async (...p: string[]) => (await readdir(join(...p))).sort();
const landed = (dir: string, sub: 'done' | 'failed', names: string[]) =>
  waitFor(
    async () => {
      const there = new Set(await ls(dir, sub));
      return names.every((n) => there.has(n));
    },
    { what: `${names.join(', ')} in ${sub}/` },
  );
const apiError = (status: number, code: string, message: string) => Object.assign(new Error(message), { status, code });

describe('startFolderWatch', () => {
  it('does not take a file while it is still being written; logs a hash of its name, never the name', async () => {
    const dir = await folder();
    const intake = fakeIntake();
    const w = watch(intake, { dir, stableMs: 400 });
    const name = 'Referral for Jane Doe.pdf';
    const f = await open(join(dir, name), 'w');
    for (let i = 0; i < 6; i++) {
      await f.write(`chunk ${i}\n`);
      // Two full passes see the new size, and neither takes the file: it changed since the last look.
      await w.scanned();
      await w.scanned();
      expect(intake.calls).toEqual([]);
    }
    await f.close();
    await landed(dir, 'done', [name]);
    expect(intake.calls).toEqual([[0, 1, 2, 3, 4, 5].map((i) => `chunk ${i}\n`).join('')]);
    expect(intake.logs.join('\n')).not.toMatch(/Jane|Doe|Referral/);
    expect(intake.logs.join('\n')).toContain(nameRef(name));
  });

  it('ignores temporary names (x.pdf.part, .x, .tmp, .partial) however long they sit, until renamed', async () => {
    const dir = await folder();
    const intake = fakeIntake();
    const w = watch(intake, { dir, stableMs: 20 });
    const temps = ['x.pdf.part', '.y.pdf', 'z.pdf.tmp', 'v.pdf.partial'];
    for (const t of temps) await writeFile(join(dir, t), `temp ${t}`);
    await writeFile(join(dir, 'control.pdf'), 'control');
    // The control file being taken proves polls ran past stableMs with the temporary files unchanged.
    await landed(dir, 'done', ['control.pdf']);
    await w.scanned();
    await w.scanned();
    expect(intake.calls).toEqual(['control']);
    expect(await ls(dir)).toEqual(expect.arrayContaining(temps));
    await rename(join(dir, 'x.pdf.part'), join(dir, 'x.pdf'));
    await landed(dir, 'done', ['x.pdf']);
    expect(intake.calls).toEqual(['control', 'temp x.pdf.part']);
  });

  it('takes a file that appeared by renaming a temporary file at once, without waiting for stableMs', async () => {
    const dir = await folder();
    const intake = fakeIntake();
    const w = watch(intake, { dir, stableMs: 10 * 60_000 });
    await writeFile(join(dir, 'letter.pdf.part'), 'atomic');
    await w.scanned();
    await rename(join(dir, 'letter.pdf.part'), join(dir, 'letter.pdf'));
    await landed(dir, 'done', ['letter.pdf']);
    expect(intake.calls).toEqual(['atomic']);
  });

  it('moves an empty file, an over-limit file and a refused document to failed/ with a reason file (no contents)', async () => {
    const dir = await folder();
    const intake = fakeIntake((b) => (b.toString().startsWith('MZ') ? apiError(415, 'unsupported_media_type', 'unsupported document type') : null));
    watch(intake, { dir, maxBytes: 100 });
    await writeFile(join(dir, 'empty.pdf'), '');
    await writeFile(join(dir, 'big.pdf'), 'B'.repeat(101));
    await writeFile(join(dir, 'program.exe'), 'MZ secret-ish bytes');
    await landed(dir, 'failed', ['empty.pdf', 'big.pdf', 'program.exe']);
    await landed(dir, 'failed', ['empty.pdf.reason.json', 'big.pdf.reason.json', 'program.exe.reason.json']);
    const reason = async (n: string) => JSON.parse(await readFile(join(dir, 'failed', `${n}.reason.json`), 'utf8'));
    expect(await reason('empty.pdf')).toEqual({ reason: 'empty', message: expect.any(String), at: expect.any(String) });
    expect(await reason('big.pdf')).toMatchObject({ reason: 'too_large', message: expect.stringContaining('101 bytes') });
    expect(await reason('program.exe')).toMatchObject({ reason: 'unsupported_media_type' });
    expect(JSON.stringify(await reason('program.exe'))).not.toContain('secret');
    // Neither the empty nor the over-limit file reached intake.
    expect(intake.calls).toEqual(['MZ secret-ish bytes']);
    expect(await ls(dir, 'done')).toEqual([]);
    expect(await ls(dir, '.processing')).toEqual([]);
  });

  it('keeps a file in .processing/ while intake fails (the system, not the document) and takes it once intake works', async () => {
    const dir = await folder();
    let down = true;
    const intake = fakeIntake(() => (down ? Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) : null));
    watch(intake, { dir });
    await writeFile(join(dir, 'a.pdf'), 'letter a');
    await waitFor(async () => intake.calls.length >= 3, { what: 'retries with backoff' });
    expect(await ls(dir, '.processing')).toEqual([expect.stringMatching(/^[0-9a-f]{12}~a\.pdf$/)]);
    expect([await ls(dir, 'done'), await ls(dir, 'failed')]).toEqual([[], []]);
    down = false;
    await landed(dir, 'done', ['a.pdf']);
    expect(await ls(dir, '.processing')).toEqual([]);
    expect(new Set(intake.calls)).toEqual(new Set(['letter a']));
  });

  it('two watchers on one folder never both accept the same file', async () => {
    const dir = await folder();
    const intake = fakeIntake();
    watch(intake, { dir, stableMs: 20, pollMs: 5 });
    watch(intake, { dir, stableMs: 20, pollMs: 5 });
    const names = Array.from({ length: 40 }, (_, i) => `fax-${i}.pdf`);
    await Promise.all(names.map((n) => writeFile(join(dir, n), `content of ${n}`)));
    await landed(dir, 'done', names);
    expect(intake.calls).toHaveLength(40);
    expect(new Set(intake.calls).size).toBe(40);
  });

  it('takes files left in .processing/ by a crash, and suffixes a name already in done/', async () => {
    const dir = await folder();
    await mkdir(join(dir, '.processing'));
    await mkdir(join(dir, 'done'));
    await writeFile(join(dir, '.processing', '0123456789ab~left.pdf'), 'left mid-file');
    await writeFile(join(dir, '.processing', 'manual.pdf'), 'put there by hand');
    await writeFile(join(dir, 'done', 'left.pdf'), 'an earlier left.pdf');
    const intake = fakeIntake();
    watch(intake, { dir });
    await landed(dir, 'done', ['left-1.pdf', 'manual.pdf']);
    expect(intake.calls.sort()).toEqual(['left mid-file', 'put there by hand']);
    expect(await readFile(join(dir, 'done', 'left.pdf'), 'utf8')).toBe('an earlier left.pdf');
    expect(await ls(dir, '.processing')).toEqual([]);
  });
});
