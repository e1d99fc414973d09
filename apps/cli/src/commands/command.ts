import type { Config } from '@triage/config';
import type { z } from 'zod';

/** One CLI command: its help line, its arguments' schema (parsed from `--flag value` pairs), and what it does. */
export type Command<S extends z.ZodType = z.ZodType> = {
  /** The words that select it, e.g. ['audit-sample']. */
  name: string[];
  usage: string;
  args: S;
  /** Returns the exit code. */
  run(args: z.infer<S>, ctx: { config: Config }): Promise<number>;
};

/** `--rate 0.1 --since X` → { rate: '0.1', since: 'X' }; a flag without a value or a stray word is an error. */
export function flagPairs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
    out[a.slice(2)] = v;
    i++;
  }
  return out;
}
