import { ocrLetters } from './checks.ts';
import type { ClinicTable } from './types.ts';

/** A clinic phrase found in a string, and the routing-policy specialty it maps to. */
export type ClinicMatch = { specialty: string; start: number; end: number };
export type ClinicMatcher = {
  /** The longest phrase match in `s` (ties: the earliest). */
  best(s: string): ClinicMatch | null;
  all(s: string): ClinicMatch[];
};

const NOUNS = new Set(['clinic', 'service', 'department', 'dept', 'unit', 'team', 'centre', 'center', 'surgeon', 'surgery', 'opinion', 'review', 'assessment', 'consultation', 'consult', 'specialist', 'referral', 'colleague', 'outpatient']);

/**
 * One spelling and one inflection per word, so a table phrase matches its variants: UK and US spelling
 * (haem/hem, paed/ped, -our/-or, -tre/-ter) and cardiology/cardiologist/cardiological, orthopaedics/orthopaedic.
 */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/(?<=.)ae/g, 'e').replace(/(?<=.)oe/g, 'e').replace(/our$/, 'or').replace(/tre$/, 'ter');
  if (/olog(?:y|ies|ist|ists|ical|ic)$/.test(w)) return w.replace(/olog(?:y|ies|ist|ists|ical|ic)$/, 'olog');
  if (/iatr(?:y|ist|ists|ic|ics)$/.test(w)) return w.replace(/iatr(?:y|ist|ists|ic|ics)$/, 'iatr');
  if (/(?:ics|ical)$/.test(w)) return w.replace(/(?:ics|ical)$/, 'ic');
  if (/ists$/.test(w)) return w.slice(0, -1);
  if (/ies$/.test(w) && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/[^s]s$/.test(w) && w.length > 3 && !/(?:us|is|os)$/.test(w)) w = w.slice(0, -1);
  return w;
}

type Tok = { t: string; start: number; end: number };
const tokenize = (s: string): Tok[] => {
  const out: Tok[] = [];
  for (const m of ocrLetters(s).matchAll(/[A-Za-z0-9]+/g)) {
    if (/^(?:and|n)$/i.test(m[0])) continue;
    out.push({ t: stem(m[0]), start: m.index, end: m.index + m[0].length });
  }
  return out;
};

type Phrase = { toks: string[]; specialty: string };
type Index = { byFirst: Map<string, Phrase[]>; adjective: Map<string, string> };

function buildIndex(table: ClinicTable): Index {
  const byFirst = new Map<string, Phrase[]>();
  const adjective = new Map<string, string>();
  for (const [specialty, phrases] of Object.entries(table.synonyms)) {
    for (const p of [specialty, ...phrases]) {
      const toks = tokenize(p).map((t) => t.t);
      if (!toks.length || toks.join('').length < 2) continue;
      const list = byFirst.get(toks[0]!) ?? [];
      list.push({ toks, specialty });
      byFirst.set(toks[0]!, list);
      // cardiology → "cardiac clinic", neurology → "neural service": the adjective before a clinic noun.
      const one = /^([a-z]{4,})olog$/.exec(toks.length === 1 ? toks[0]! : '');
      if (one && !adjective.has(one[1]!)) adjective.set(one[1]!, specialty);
    }
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.toks.length - a.toks.length);
  return { byFirst, adjective };
}

const cache = new WeakMap<ClinicTable, ClinicMatcher>();

export function clinicMatcher(table: ClinicTable): ClinicMatcher {
  const hit = cache.get(table);
  if (hit) return hit;
  const { byFirst, adjective } = buildIndex(table);
  const all = (s: string): ClinicMatch[] => {
    const toks = tokenize(s);
    const out: ClinicMatch[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      // "colorectal clinic" also reads "colorectal team": clinic nouns are one word at a phrase's end.
      const exact = (x: string, k: number) => toks[i + k]?.t === x;
      const loose = (x: string, k: number, n: number) => exact(x, k) || (k === n - 1 && k > 0 && NOUNS.has(x) && NOUNS.has(toks[i + k]?.t ?? ''));
      const list = byFirst.get(t.t) ?? [];
      const p = list.find((ph) => ph.toks.every((x, k) => exact(x, k))) ?? list.find((ph) => ph.toks.every((x, k) => loose(x, k, ph.toks.length)));
      if (p) {
        const last = toks[i + p.toks.length - 1]!;
        out.push({ specialty: p.specialty, start: t.start, end: last.end });
        i += p.toks.length - 1;
        continue;
      }
      const adj = /^([a-z]{4,}?)(?:o)?(?:ac|ic|al)$/.exec(t.t);
      const spec = adj && (adjective.get(adj[1]!) ?? adjective.get(`${adj[1]}o`));
      const next = toks[i + 1];
      if (spec && next && NOUNS.has(next.t)) out.push({ specialty: spec, start: t.start, end: next.end });
    }
    return out;
  };
  const matcher: ClinicMatcher = {
    all,
    best(s) {
      let top: ClinicMatch | null = null;
      for (const m of all(s)) if (!top || m.end - m.start > top.end - top.start) top = m;
      return top;
    },
  };
  cache.set(table, matcher);
  return matcher;
}
