import { spawn } from 'node:child_process';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { TERMINAL_STATUSES, type DocumentStatus } from '@triage/contracts';
import { schema } from '@triage/db';
import { waitFor } from '@triage/testkit';
import { startWatchDirs } from '../../apps/cli/src/watch-folder.ts';
import { CARDIO_LETTER, ORTHO_LETTER, URO_LETTER } from './letters.ts';
import { startSystem, type System } from './system.ts';

const MAIN = fileURLToPath(new URL('../../apps/cli/src/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let sys: System;
let reviewer: string;
let intake: string;

beforeAll(async () => {
  sys = await startSystem();
  reviewer = await sys.token('reviewer');
  intake = await sys.token('intake');
}, 120_000);
afterAll(async () => sys?.stop());

const api = async (path: string, token: string) => {
  const res = await fetch(`${sys.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as { status: DocumentStatus; source: string } };
};

/** The CLI as an operator runs it: a real process, its exit code and its two streams. */
function triage(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('fax-server folders and bulk upload', () => {
  it('takes a letter dropped into a watched folder through intake to a terminal state, and files it under done/', async () => {
    const dir = join(sys.dataDir, 'fax-in');
    await mkdir(dir);
    const watch = startWatchDirs(sys.rt, [dir], { stableMs: 200 });
    try {
      // Written under a temporary name and renamed, as a fax server that writes atomically does.
      await writeFile(join(dir, 'cardio-referral.txt.part'), CARDIO_LETTER);
      await rename(join(dir, 'cardio-referral.txt.part'), join(dir, 'cardio-referral.txt'));
      const doc = await waitFor(
        async () => (await sys.rt.dbh.db.select().from(schema.documents).where(eq(schema.documents.source, 'folder:fax-in')))[0],
        { timeoutMs: 30_000, what: 'the folder document row' },
      );
      expect(doc.createdBy).toBeNull();
      const done = await waitFor(
        async () => {
          const r = await api(`/v1/documents/${doc.id}`, reviewer);
          return TERMINAL_STATUSES.includes(r.body.status) ? r.body : undefined;
        },
        { timeoutMs: 60_000, what: 'the folder document to reach a terminal state' },
      );
      expect(done).toMatchObject({ source: 'folder:fax-in' });
      expect(done.status).not.toBe('failed');
      await waitFor(async () => (await readdir(join(dir, 'done'))).includes('cardio-referral.txt'), { what: 'the file in done/' });
      const audit = await sys.rt.dbh.db
        .select()
        .from(schema.auditEvents)
        .where(and(eq(schema.auditEvents.documentId, doc.id), eq(schema.auditEvents.action, 'document_received')));
      expect(audit).toMatchObject([{ actor: 'folder:fax-in' }]);
      // The same fax sent twice: a second file in done/, still one document.
      await writeFile(join(dir, 'cardio-referral.txt'), CARDIO_LETTER);
      await waitFor(async () => (await readdir(join(dir, 'done'))).includes('cardio-referral-1.txt'), { what: 'the resend in done/' });
      expect(await sys.rt.dbh.db.select().from(schema.documents).where(eq(schema.documents.source, 'folder:fax-in'))).toHaveLength(1);
      expect(await readdir(join(dir, '.processing'))).toEqual([]);
      expect(await readdir(dir)).toEqual(expect.not.arrayContaining(['cardio-referral.txt']));
    } finally {
      await watch.close();
    }
  });

  it('`triage ingest` uploads globs and files over HTTP: a JSON summary, 415 reported without retry, exit code 1', async () => {
    const dir = join(sys.dataDir, 'to-upload');
    await mkdir(dir);
    await writeFile(join(dir, 'uro.txt'), URO_LETTER);
    await writeFile(join(dir, 'ortho.txt'), ORTHO_LETTER);
    const bad = join(dir, 'program.bin');
    await writeFile(bad, Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0xff, 0xff]));
    const r = await triage(['ingest', join(dir, '*.txt'), bad, '--concurrency', '2'], { TRIAGE_URL: sys.url, TRIAGE_TOKEN: intake });
    expect(JSON.parse(r.stdout)).toEqual({ files: 3, accepted: 2, duplicates: 0, failed: [{ file: bad, status: 415, code: 'unsupported_media_type' }] });
    expect(r.code).toBe(1);
    // Not a terminal: plain progress lines, the last one complete.
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr.trim().split('\n').at(-1)).toBe('ingest: 3/3 (2 accepted, 0 duplicate, 1 failed)');
    const again = await triage(['ingest', join(dir, '*.txt')], { TRIAGE_URL: sys.url, TRIAGE_TOKEN: intake });
    expect(JSON.parse(again.stdout)).toEqual({ files: 2, accepted: 0, duplicates: 2, failed: [] });
    expect(again.code).toBe(0);
  }, 120_000);
});
