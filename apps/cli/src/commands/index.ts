// The command table: new commands go here, one file each (the older ones still live in main.ts's switch).
import { auditHeadCommand } from './audit-head.command.ts';
import { auditSampleCommand } from './audit-sample.command.ts';
import { flagPairs, type Command } from './command.ts';
import { mllpCommand } from './mllp.command.ts';

export const COMMANDS: Command[] = [auditSampleCommand as unknown as Command, auditHeadCommand as unknown as Command, mllpCommand as unknown as Command];

export function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  for (const command of COMMANDS) {
    if (command.name.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(command.name.length) };
  }
  return null;
}

/** Validates the command's flags with its schema: the first problem, precisely. */
export function parseCommandArgs(command: Command, rest: string[]): { ok: true; args: unknown } | { ok: false; message: string } {
  let pairs: Record<string, string>;
  try {
    pairs = flagPairs(rest);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  const r = command.args.safeParse(pairs);
  if (r.success) return { ok: true, args: r.data };
  const issue = r.error.issues[0]!;
  const flag = issue.path[0] === undefined ? '' : `--${String(issue.path[0])}: `;
  return { ok: false, message: issue.code === 'unrecognized_keys' ? `unknown flag(s): ${issue.keys.map((k) => `--${k}`).join(', ')}` : `${flag}${issue.message}` };
}
