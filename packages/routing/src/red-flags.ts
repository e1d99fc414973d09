// Clinical red-flag rules: reviewed regexes over the extracted text that can only raise urgency or force review.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Urgency } from './decide.ts';
import { z } from 'zod';

export const RED_FLAG_ACTIONS = ['raise_to_emergent', 'raise_to_urgent', 'force_review'] as const;
export type RedFlagAction = (typeof RED_FLAG_ACTIONS)[number];

/** <repo>/policy/red-flags.json, found from this file so it works from any working directory. */
export const DEFAULT_RED_FLAGS_PATH = fileURLToPath(new URL('../../../policy/red-flags.json', import.meta.url));

const pattern = z.string().min(1).refine(
  (p) => {
    try {
      new RegExp(p, 'gi');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'rule ids are kebab-case'),
    description: z.string().min(1),
    action: z.enum(RED_FLAG_ACTIONS),
    /** Any one of these, not negated, triggers the rule … */
    patterns: z.array(pattern).min(1),
    /** … provided (when given) one of these also occurs, not negated, anywhere in the text. */
    requires: z.array(pattern).min(1).optional(),
  })
  .strict();

export const redFlagRulesSchema = z
  .object({
    version: z.string().min(1),
    reviewedBy: z.string().optional(),
    negation: z
      .object({
        cues: z.array(z.string().min(1)).min(1),
        /** How many words before a match a cue may sit. */
        window: z.number().int().min(1).max(20),
      })
      .strict(),
    rules: z.array(ruleSchema).min(1),
  })
  .strict()
  .refine((r) => new Set(r.rules.map((x) => x.id)).size === r.rules.length, { message: 'rule ids must be unique' });
export type RedFlagRules = z.infer<typeof redFlagRulesSchema>;
export type RedFlagRule = RedFlagRules['rules'][number];

export type RedFlagHit = { ruleId: string; action: RedFlagAction; start: number; end: number; term: string };
export type RedFlagResult = { hits: RedFlagHit[]; minimumUrgency: Urgency | null; forceReview: boolean };

export function parseRedFlags(json: unknown, origin = 'red-flag rules'): RedFlagRules {
  const r = redFlagRulesSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`invalid ${origin}: ${issues}`);
  }
  return r.data;
}

export function loadRedFlags(path: string = DEFAULT_RED_FLAGS_PATH): RedFlagRules {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read red-flag rules ${path}: ${(e as Error).message}`);
  }
  return parseRedFlags(JSON.parse(raw), path);
}

// Negation scope ends at a sentence/clause boundary or a contrastive word ("no fever but rigors").
const SCOPE_BREAK = /[.;:!?\n]|\b(but|however|although|though|except|apart from)\b/gi;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * PDFs and faxes break lines anywhere ("ectopic\npregnancy"): a space in a pattern matches any run of
 * whitespace, and a space inside a character class any one whitespace character. Escapes are left alone.
 */
export function lineBreakTolerant(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
      out += ch === ' ' ? '\\s' : ch;
    } else {
      if (ch === '[') inClass = true;
      out += ch === ' ' ? '\\s+' : ch;
    }
  }
  return out;
}

type Compiled = { rule: RedFlagRule; patterns: RegExp[]; requires: RegExp[] | null };
const compiledCache = new WeakMap<RedFlagRules, { rules: Compiled[]; negation: RegExp }>();

function compile(rules: RedFlagRules): { rules: Compiled[]; negation: RegExp } {
  let c = compiledCache.get(rules);
  if (!c) {
    // Longest cue first so "no evidence of" wins over "no"; the lookarounds stop "no" matching inside "know".
    const cues = [...rules.negation.cues].sort((a, b) => b.length - a.length).map((cue) => lineBreakTolerant(escapeRegex(cue)));
    c = {
      negation: new RegExp(`(?<![a-z0-9])(${cues.join('|')})(?![a-z0-9])`, 'i'),
      rules: rules.rules.map((rule) => ({
        rule,
        patterns: rule.patterns.map((p) => new RegExp(lineBreakTolerant(p), 'gi')),
        requires: rule.requires ? rule.requires.map((p) => new RegExp(lineBreakTolerant(p), 'gi')) : null,
      })),
    };
    compiledCache.set(rules, c);
  }
  return c;
}

/** True when a negation cue sits within `window` words before `start`, in the same clause. */
export function isNegated(text: string, start: number, negation: RegExp, window: number): boolean {
  const before = text.slice(Math.max(0, start - 300), start);
  let scopeStart = 0;
  for (const m of before.matchAll(SCOPE_BREAK)) scopeStart = m.index + m[0].length;
  const words = before.slice(scopeStart).trim().split(/\s+/).filter(Boolean);
  return negation.test(words.slice(-window).join(' '));
}

function findAll(text: string, regexes: RegExp[], negation: RegExp, window: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const re of regexes) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      if (m[0].length === 0) continue;
      if (!isNegated(text, m.index, negation, window)) spans.push([m.index, m.index + m[0].length]);
    }
  }
  return spans;
}

const RANK: Record<Urgency, number> = { routine: 0, urgent: 1, emergent: 2 };

/** Runs every rule over the text. Rules only ever raise: the result is a floor, never a ceiling. */
export function applyRedFlags(text: string, rules: RedFlagRules): RedFlagResult {
  const { rules: compiled, negation } = compile(rules);
  const window = rules.negation.window;
  const hits: RedFlagHit[] = [];
  let minimumUrgency: Urgency | null = null;
  let forceReview = false;
  for (const c of compiled) {
    const main = findAll(text, c.patterns, negation, window);
    if (!main.length) continue;
    const context = c.requires ? findAll(text, c.requires, negation, window) : [];
    if (c.requires && !context.length) continue;
    const seen = new Set<string>();
    for (const [start, end] of [...main, ...context].sort((a, b) => a[0] - b[0] || a[1] - b[1])) {
      const key = `${start}:${end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hits.push({ ruleId: c.rule.id, action: c.rule.action, start, end, term: text.slice(start, end) });
    }
    if (c.rule.action === 'force_review') forceReview = true;
    else {
      const level: Urgency = c.rule.action === 'raise_to_emergent' ? 'emergent' : 'urgent';
      if (minimumUrgency === null || RANK[level] > RANK[minimumUrgency]) minimumUrgency = level;
    }
  }
  return { hits, minimumUrgency, forceReview };
}

/** The higher of two urgencies; null means "no floor". */
export function raiseUrgency(label: Urgency, floor: Urgency | null): Urgency {
  return floor !== null && RANK[floor] > RANK[label] ? floor : label;
}
