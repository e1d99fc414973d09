// Person names as labels, "Re:" lines and signatures write them.

/** Words that make a name an organisation's: Riverside Family Practice, Lakeside Internal Medicine. */
export const ORG = /\b(?:practice|clinic|surgery|medical|health|healthcare|hospital|centre|center|associates|group|partners|partnership|physicians|family medicine|infirmary|trust|llc|inc|pllc|ltd|institute|university|foundation|services|medicine|pediatrics|paediatrics|doctors|primary care|care|wellness|pc)\b/i;

export type NameRead = { value: string; start: number; end: number; title?: string; quality: number; spans: [number, number][] };

const TITLE = /^(mr|mrs|ms|miss|mx|master|dr|doctor|prof|professor|sir|dame|rev)\.?(?=\s)/i;
const CREDENTIAL = /^(?:m\.?d\.?|d\.?o\.?|mbbs|mbchb|mbbch|bmbs|mb|bm|bch|chb|bs|bsc|msc|ma|dm|frcp|frcs|frcgp|mrcgp|mrcp|mrcs|mrcog|mrcpch|frcpch|fracp|drcog|dfsrh|dch|dgm|facp|faafp|facc|facs|facog|faap|phd|ph\.?d\.?|mph|np|fnp|fnp-c|fnp-bc|agnp|pa|pa-c|dnp|rn|aprn|msn|dpm|dds|dmd|od|ccfp|fracgp|dcog|jr|sr)\.?$/i;
const PARTICLE = /^(van|von|de|del|della|der|den|da|di|du|la|le|bin|binti|al|el|dos|das|st\.?)$/;
const STOP = new Set(
  `patient referral refer urgent routine clinic consultation request letter fax cover new follow appointment
   results report summary discharge confidential dear colleague colleagues department dept team the and of for
   with to from male female dob mrn nhs unknown n/a na none see above yes no date name address phone fax tel
   hospital practice medical centre center health sir madam years year old age sex gender insurance member
   surgery associates group family medicine clinical reason diagnosis history please thank thanks regards
   sincerely yours kind best signed signature re on behalf physician provider doctor consultant gp registrar
   nurse practitioner office pediatrics paediatrics cardiology services service unit ward road street st. avenue
   ave lane drive`.split(/\s+/),
);

const isNameToken = (t: string, lower: boolean) =>
  !STOP.has(t.toLowerCase()) &&
  // Smith, McDonald, O'Neill-Byrne; SMITH, O'NEILL; initials; lowercase only where a label vouches for it.
  (/^[A-Z][A-Za-z'’]*[a-z](?:-[A-Z][A-Za-z'’]*[a-z])*$/.test(t) || /^(?:[A-Z]['’])?[A-Z]{2,}(?:[-'’][A-Z]+)*$/.test(t) || /^[A-Z]\.?$/.test(t) || (lower && /^[a-z][a-z'’-]+$/.test(t)));

type Tok = { t: string; start: number; end: number };

function tokens(s: string, from: number): Tok[] {
  const out: Tok[] = [];
  const re = /[^\s,;:()/|]+|[,;:()/|]/g;
  re.lastIndex = from;
  // A name is a few words: never tokenise a whole page to read one.
  for (let m = re.exec(s); m && out.length < 16; m = re.exec(s)) {
    // A full stop after a word ends the sentence; after an initial it is part of it.
    const t = /^[A-Za-z][a-z]+\.$/.test(m[0]) && !CREDENTIAL.test(m[0]) ? m[0].slice(0, -1) : m[0];
    out.push({ t, start: m.index, end: m.index + t.length });
  }
  return out;
}

/**
 * Reads a person's name at the start of `s` (after an optional title): 1-5 name-like words, "Surname, First" or
 * (with `lastFirst`) "SURNAME / First" turned round to "First Surname". Credentials (MD, MBBS) end the name.
 */
export function readPersonName(s: string, opts: { lastFirst?: boolean; lowercase?: boolean } = {}): NameRead | null {
  let i = s.search(/\S/);
  if (i < 0) return null;
  let title: string | undefined;
  const t = TITLE.exec(s.slice(i));
  if (t) {
    title = t[1]!.toLowerCase();
    i += t[0].length;
  }
  const toks = tokens(s, i);
  const parts: Tok[][] = [[]];
  for (const tok of toks) {
    const cur = parts[parts.length - 1]!;
    if (tok.t === ',' || tok.t === '/') {
      // One comma or slash after the surname turns the name round; anything else ends it.
      if (parts.length === 1 && cur.length >= 1 && (opts.lastFirst || (cur.length === 1 && !title))) {
        parts.push([]);
        continue;
      }
      break;
    }
    if (CREDENTIAL.test(tok.t) && (cur.length || parts.length > 1)) break;
    if (PARTICLE.test(tok.t) && cur.length) {
      cur.push(tok);
      continue;
    }
    if (!isNameToken(tok.t, !!opts.lowercase) || cur.length >= 5) break;
    cur.push(tok);
  }
  if (parts.length > 1 && !parts[parts.length - 1]!.length) parts.pop();
  for (const p of parts) while (p.length && PARTICLE.test(p[p.length - 1]!.t)) p.pop();
  const [first, second] = parts;
  if (!first?.length) return null;
  const ordered = second?.length ? [...second, ...first] : first;
  const value = ordered.map((x) => x.t).join(' ');
  const spans: [number, number][] = second?.length ? [[second[0]!.start, second[second.length - 1]!.end], [first[0]!.start, first[first.length - 1]!.end]] : [[first[0]!.start, first[first.length - 1]!.end]];
  const n = ordered.length;
  const initials = ordered.filter((x) => /^[A-Z]\.?$/.test(x.t)).length;
  let quality = n === 1 ? 0.55 : n <= 4 ? 1 : 0.85;
  if (initials === n) quality = 0.3;
  else if (n >= 2 && initials === n - 1 && /^[A-Z]\.?$/.test(ordered[n - 1]!.t)) quality = 0.5;
  if (opts.lowercase && ordered.some((x) => /^[a-z]/.test(x.t))) quality *= 0.9;
  const start = Math.min(...spans.map((x) => x[0]));
  const end = Math.max(...spans.map((x) => x[1]));
  return { value, start, end, ...(title && { title }), quality, spans };
}

export const hasTitlePrefix = (s: string): boolean => TITLE.test(s.trimStart());
export const isCredential = (s: string): boolean => CREDENTIAL.test(s.trim());

/** Name tokens for comparing: case, punctuation and titles ignored. */
export function nameTokens(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[.,'’]/g, ' ')
    .split(/\s+/)
    .filter((t) => t && !/^(mr|mrs|ms|miss|mx|dr|prof|md|do)$/.test(t));
}

/** Same person: every word of the shorter name matches one of the longer's (an initial matches its word). */
export function sameName(a: string, b: string): boolean {
  const [x, y] = [nameTokens(a), nameTokens(b)].sort((p, q) => p.length - q.length) as [string[], string[]];
  if (!x.length) return false;
  const pool = [...y];
  for (const t of x) {
    const k = pool.findIndex((u) => u === t || (t.length === 1 && u.startsWith(t)) || (u.length === 1 && t.startsWith(u)));
    if (k < 0) return false;
    pool.splice(k, 1);
  }
  // Initials alone do not make the same person.
  return x.some((t) => t.length > 1);
}
