import { readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { z } from 'zod';
import { ApiError, createApiClient, type ApiClient } from '@triage/api-client';
import type { Command } from './command.ts';

const TRIES = 5;
const required = (v: string) => (i: { input: unknown }) => (i.input === undefined ? `required (or set ${v})` : undefined);

const args = z
  .object({
    files: z.array(z.string().min(1)).min(1, 'give at least one file or glob'),
    url: z.url({ error: (i) => required('TRIAGE_URL')(i) ?? 'must be a URL, e.g. https://triage.example.org' }),
    token: z.string({ error: required('TRIAGE_TOKEN') }).min(1, 'must not be empty'),
    concurrency: z.coerce.number().int('must be an integer').min(1, 'must be at least 1').max(64, 'must be at most 64').default(4),
  })
  .strict();

type Failure = { file: string; status: number; code: string };
type Outcome = { ok: true; duplicate: boolean } | ({ ok: false } & Failure);

/** Files as given, globs expanded (the shell does not expand a quoted glob, nor does every shell at all); each path once. */
async function expand(patterns: string[]): Promise<{ files: string[]; missing: Failure[] }> {
  const files = new Set<string>();
  const missing: Failure[] = [];
  for (const p of patterns) {
    const found = isDynamicPattern(p)
      ? (await glob(p, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(p) })).sort()
      : (await stat(p).then((s) => s.isFile(), () => false))
        ? [p]
        : [];
    if (!found.length) missing.push({ file: p, status: 0, code: isDynamicPattern(p) ? 'no_match' : 'not_found' });
    for (const f of found) files.add(f);
  }
  return { files: [...files], missing };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One upload: 5xx, 408, 429 and network errors are retried with exponential backoff (5 tries); any other 4xx is the file's answer. */
async function upload(api: ApiClient, file: string): Promise<Outcome> {
  const bytes = await readFile(file).catch(() => null);
  if (!bytes) return { ok: false, file, status: 0, code: 'unreadable' };
  for (let attempt = 1; ; attempt++) {
    let status = 0;
    let code = 'network_error';
    try {
      // The API sniffs the type from the bytes, so the CLI need not guess it from the file name.
      const r = await api.post('/v1/documents', { body: bytes, contentType: 'application/octet-stream', signal: AbortSignal.timeout(120_000) });
      return { ok: true, duplicate: typeof r === 'object' && 'duplicate' in r && r.duplicate };
    } catch (e) {
      if (e instanceof ApiError) {
        status = e.status;
        code = e.code;
        if (status < 500 && status !== 408 && status !== 429) return { ok: false, file, status, code };
      } else code = (e as Error).name === 'TimeoutError' ? 'timeout' : 'network_error';
    }
    if (attempt >= TRIES) return { ok: false, file, status, code };
    await sleep(250 * 2 ** attempt * (0.75 + Math.random() / 2));
  }
}

/** On a terminal, one line rewritten in place; otherwise (a log, CI) one line per tenth done, so the output stays short. */
function progress(total: number, out: NodeJS.WriteStream = process.stderr) {
  let decile = 0;
  return (c: { accepted: number; duplicates: number; failed: number }) => {
    const done = c.accepted + c.duplicates + c.failed;
    const line = `ingest: ${done}/${total} (${c.accepted} accepted, ${c.duplicates} duplicate, ${c.failed} failed)`;
    if (out.isTTY) out.write(`\r${line}${done === total ? '\n' : ''}`);
    else if (Math.floor((done * 10) / total) > decile) {
      decile = Math.floor((done * 10) / total);
      out.write(`${line}\n`);
    }
  };
}

/** Uploads files through the HTTP API as an intake token would, from any machine that can reach it. */
export const ingestCommand: Command<typeof args> = {
  name: ['ingest'],
  usage: 'ingest FILE|GLOB... --url URL --token T [--concurrency N]   upload files (default TRIAGE_URL, TRIAGE_TOKEN); JSON summary',
  args,
  positionals: 'files',
  env: { url: 'TRIAGE_URL', token: 'TRIAGE_TOKEN' },
  async run(a) {
    const { files, missing } = await expand(a.files);
    const failed: Failure[] = [...missing];
    const counts = { accepted: 0, duplicates: 0, failed: missing.length };
    const tick = progress(files.length + missing.length);
    if (missing.length) tick(counts);
    const api = createApiClient({ baseUrl: a.url, token: a.token });
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const o = await upload(api, files[next++]!);
        if (o.ok) counts[o.duplicate ? 'duplicates' : 'accepted']++;
        else {
          failed.push({ file: o.file, status: o.status, code: o.code });
          counts.failed++;
        }
        tick(counts);
      }
    };
    await Promise.all(Array.from({ length: Math.min(a.concurrency, files.length) }, worker));
    console.log(JSON.stringify({ files: files.length + missing.length, accepted: counts.accepted, duplicates: counts.duplicates, failed }));
    return failed.length ? 1 : 0;
  },
};
