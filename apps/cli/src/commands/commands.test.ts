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
