import type { ClinicTable } from './types.ts';

/** A clinic phrase found in a string, and the routing-policy specialty it maps to. */
export type ClinicMatch = { specialty: string; start: number; end: number };
export type ClinicMatcher = {
  /** The longest phrase match in `s` (ties: the earliest). */
  best(s: string): ClinicMatch | null;
  all(s: string): ClinicMatch[];
};

const NOUNS = '(?:clinic|service|department|dept|unit|team|centre|center|surgeon|surgery|opinion|review|assessment|consultation|consult|specialist|referral|colleague)s?';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** UK and US spellings: haem/hem, paed/ped, oes/es, -our/-or, -tre/-ter. */
function spelling(t: string): string {
  return esc(t)
    .replace(/(?<=.)ae/g, '(?:ae|e)')
    .replace(/(?<=.)oe/g, '(?:oe|e)')
    .replace(/our\b/g, 'ou?r')
    .replace(/tre$/, '(?:tre|ter)');
}

/** Simple inflections of a phrase's last word: cardiology → cardiologist(s), orthopaedics → orthopaedic. */
function inflect(t: string): string {
  if (/ology$/.test(t)) return `${spelling(t.slice(0, -1))}(?:y|ies|ist|ists|ical|ic)`;
  if (/iatry$/.test(t)) return `${spelling(t.slice(0, -1))}(?:y|ist|ists|ic)`;
  if (/ics$/.test(t)) return `${spelling(t.slice(0, -1))}(?:s|al)?`;
  if (/ic$/.test(t)) return `${spelling(t)}(?:s|al)?`;
  if (/ist$/.test(t)) return `${spelling(t)}s?`;
  if (/y$/.test(t) && t.length > 3) return `${spelling(t.slice(0, -1))}(?:y|ies)`;
  if (t.length <= 3) return spelling(t);
  return `${spelling(t)}(?:s|es)?`;
}

function phraseSource(phrase: string): string | null {
  const toks = phrase.toLowerCase().split(/[^a-z0-9']+/).filter((t) => t && t !== 'and');
  if (!toks.length || toks.join('').length < 2) return null;
  const body = toks.map((t, i) => (i === toks.length - 1 ? inflect(t) : spelling(t))).join(`(?:\\s*[&+/,.'-]\\s*|\\s+and\\s+|\\s+|'s\\s+)`);
  // cardiology → "cardiac clinic", neurology → "neurological service": the adjective with a clinic noun.
  if (toks.length === 1 && /^[a-z]{4,}ology$/.test(toks[0]!)) {
    const stem = spelling(toks[0]!.replace(/o?logy$/, ''));
    return `${body}|${stem}(?:ac|ic|al)\\s+${NOUNS}`;
  }
  return body;
}

export function clinicMatcher(table: ClinicTable): ClinicMatcher {
  const entries: { specialty: string; src: string }[] = [];
  for (const [specialty, phrases] of Object.entries(table.synonyms)) {
    for (const p of [specialty, ...phrases]) {
      const src = phraseSource(p);
      if (src) entries.push({ specialty, src });
    }
  }
  entries.sort((a, b) => b.src.length - a.src.length);
  const re = entries.length ? new RegExp(`(?<![a-z0-9])(?:${entries.map((e) => `(${e.src})`).join('|')})(?![a-z0-9])`, 'gi') : null;
  const all = (s: string): ClinicMatch[] => {
    if (!re) return [];
    const out: ClinicMatch[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      const k = m.findIndex((g, i) => i > 0 && g !== undefined);
      if (k > 0) out.push({ specialty: entries[k - 1]!.specialty, start: m.index, end: m.index + m[0].length });
      if (m[0].length === 0) re.lastIndex++;
    }
    return out;
  };
  return {
    all,
    best(s) {
      let top: ClinicMatch | null = null;
      for (const m of all(s)) if (!top || m.end - m.start > top.end - top.start) top = m;
      return top;
    },
  };
}
