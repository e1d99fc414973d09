// The command table: new commands go here, one file each (the older ones still live in main.ts's switch).
import { auditHeadCommand } from './audit-head.command.ts';
import { auditSampleCommand } from './audit-sample.command.ts';
import { splitArgs, type Command } from './command.ts';
import { driftReportCommand } from './drift.command.ts';
import { ingestCommand } from './ingest.command.ts';
import { mllpCommand } from './mllp.command.ts';
import { policyPauseCommand, policyResumeCommand } from './policy-pause.command.ts';
import { watchCommand } from './watch.command.ts';

export const COMMANDS: Command[] = [auditSampleCommand as unknown as Command, auditHeadCommand as unknown as Command, mllpCommand as unknown as Command, policyPauseCommand as unknown as Command, policyResumeCommand as unknown as Command, ingestCommand as unknown as Command, watchCommand as unknown as Command, driftReportCommand as unknown as Command];

export function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  for (const command of COMMANDS) {
    if (command.name.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(command.name.length) };
  }
  return null;
}

/**
 * Validates the command's flags (and bare words, if it takes them) with its schema: the first problem, precisely.
 * `env` fills the flags the command maps to variables (`command.env`) when they are not given.
 */
export function parseCommandArgs(
  command: Command,
  rest: string[],
  env: Record<string, string | undefined> = process.env,
): { ok: true; args: unknown } | { ok: false; message: string } {
  let input: Record<string, unknown>;
  try {
    const { flags, words } = splitArgs(rest, command.positionals !== undefined);
    const fromEnv = Object.entries(command.env ?? {}).filter(([flag, name]) => flags[flag] === undefined && env[name]);
    input = { ...Object.fromEntries(fromEnv.map(([flag, name]) => [flag, env[name]])), ...flags };
    if (command.positionals !== undefined) input[command.positionals] = words;
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  const r = command.args.safeParse(input);
  if (r.success) return { ok: true, args: r.data };
  const issue = r.error.issues[0]!;
  const key = issue.path[0] === undefined ? undefined : String(issue.path[0]);
  const flag = key === undefined ? '' : key === command.positionals ? `${key.toUpperCase()}: ` : `--${key}: `;
  return { ok: false, message: issue.code === 'unrecognized_keys' ? `unknown flag(s): ${issue.keys.map((k) => `--${k}`).join(', ')}` : `${flag}${issue.message}` };
}
