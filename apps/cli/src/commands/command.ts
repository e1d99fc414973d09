import type { Config } from '@triage/config';
import type { z } from 'zod';

/** One CLI command: its help line, its arguments' schema (parsed from `--flag value` pairs), and what it does. */
export type Command<S extends z.ZodType = z.ZodType> = {
  /** The words that select it, e.g. ['audit-sample']. */
  name: string[];
  usage: string;
  args: S;
  /** When set, bare words are passed in order under this key (e.g. `files`); without it a bare word is an error. */
  positionals?: string;
  /** Flags that fall back to an environment variable when absent, e.g. { url: 'TRIAGE_URL' }. */
  env?: Record<string, string>;
  /** Returns the exit code. */
  run(args: z.infer<S>, ctx: { config: Config }): Promise<number>;
};

/** `--rate 0.1 --since X` → { rate: '0.1', since: 'X' }; a flag without a value or a stray word is an error. */
export function flagPairs(argv: string[]): Record<string, string> {
  return splitArgs(argv, false).flags;
}

/** Flags as `--flag value` pairs; with `positionals`, other words (and every word after `--`) are kept in order. */
export function splitArgs(argv: string[], positionals: boolean): { flags: Record<string, string>; words: string[] } {
  const flags: Record<string, string> = {};
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (positionals && a === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      if (!positionals) throw new Error(`unexpected argument "${a}"`);
      words.push(a);
      continue;
    }
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
    flags[a.slice(2)] = v;
    i++;
  }
  return { flags, words };
}
