import { describe, expect, it } from 'vitest';
import { findCommand, parseCommandArgs } from './index.ts';

describe('the command table', () => {
  it('finds a command by its words and validates its flags with its schema', () => {
    const found = findCommand(['audit-sample', '--rate', '0.1', '--since', '2026-11-01T00:00:00Z']);
    expect(found?.command.name).toEqual(['audit-sample']);
    const ok = parseCommandArgs(found!.command, found!.rest);
    expect(ok).toEqual({ ok: true, args: { rate: 0.1, since: new Date('2026-11-01T00:00:00Z') } });
    expect(findCommand(['start'])).toBeNull();
  });
  it('answers bad flags precisely', () => {
    const { command } = findCommand(['audit-sample'])!;
    expect(parseCommandArgs(command, ['--rate', '1.5'])).toEqual({ ok: false, message: '--rate: must be at most 1' });
    expect(parseCommandArgs(command, ['--rate'])).toEqual({ ok: false, message: '--rate needs a value' });
    expect(parseCommandArgs(command, ['--rate', '0.5', '--what', 'x'])).toEqual({ ok: false, message: 'unknown flag(s): --what' });
    expect(parseCommandArgs(command, ['--rate', '0.5', '--since', 'yesterday'])).toEqual({ ok: false, message: '--since: must be an ISO date-time' });
    expect(parseCommandArgs(command, [])).toMatchObject({ ok: false, message: expect.stringMatching(/^--rate: /) });
  });
});

describe('bare words and environment defaults', () => {
  it('passes bare words (and everything after --) to a command that takes them; other commands still refuse them', () => {
    const { command } = findCommand(['ingest'])!;
    const env = { TRIAGE_URL: 'http://triage.test', TRIAGE_TOKEN: 'tok' };
    expect(parseCommandArgs(command, ['a.pdf', '--concurrency', '2', 'b/*.pdf', '--', '--odd.pdf'], env)).toEqual({
      ok: true,
      args: { files: ['a.pdf', 'b/*.pdf', '--odd.pdf'], url: 'http://triage.test', token: 'tok', concurrency: 2 },
    });
    expect(parseCommandArgs(command, [], env)).toEqual({ ok: false, message: 'FILES: give at least one file or glob' });
    const mllp = findCommand(['mllp'])!.command;
    expect(parseCommandArgs(mllp, ['2575'])).toEqual({ ok: false, message: 'unexpected argument "2575"' });
    expect(parseCommandArgs(findCommand(['watch'])!.command, ['/srv/fax', '--stable-ms', '500'], {})).toEqual({ ok: true, args: { dirs: ['/srv/fax'], 'stable-ms': 500 } });
  });
  it('takes --url/--token from TRIAGE_URL/TRIAGE_TOKEN when absent; a flag wins over the variable', () => {
    const { command } = findCommand(['ingest'])!;
    const env = { TRIAGE_URL: 'http://from-env.test', TRIAGE_TOKEN: 'env-token' };
    expect(parseCommandArgs(command, ['a.pdf', '--url', 'http://flag.test'], env)).toMatchObject({ ok: true, args: { url: 'http://flag.test', token: 'env-token' } });
    expect(parseCommandArgs(command, ['a.pdf'], {})).toEqual({ ok: false, message: '--url: required (or set TRIAGE_URL)' });
    expect(parseCommandArgs(command, ['a.pdf', '--url', 'nope'], {})).toEqual({ ok: false, message: '--url: must be a URL, e.g. https://triage.example.org' });
    expect(parseCommandArgs(command, ['a.pdf'], { TRIAGE_URL: 'http://x.test' })).toEqual({ ok: false, message: '--token: required (or set TRIAGE_TOKEN)' });
  });
});
