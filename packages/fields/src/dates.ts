// Dates as referrals write them → ISO, checked for being a real and plausible day.

export type DateKind = 'birth' | 'event';
/** A date found in a string: offsets into it, the reading chosen and any other reading (04/05 is 4 May or April 5). */
export type DateRead = { iso: string; alts: string[]; start: number; end: number; ambiguous: boolean };
export type DateOptions = { kind: DateKind; today: Date; dayFirst: boolean };

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const MON = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\\.?';
const ISO = /(?<!\d)(\d{4})\s?[-/.]\s?(\d{1,2})\s?[-/.]\s?(\d{1,2})(?!\d)/;
const NUMERIC = /(?<![\d/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d/])/;
const DAY_MONTH = new RegExp(`(?<![\\d])(\\d{1,2})(?:st|nd|rd|th)?[\\s-]+(?:of\\s+)?${MON}[\\s,-]+(\\d{4}|'?\\d{2})(?!\\d)`, 'i');
const MONTH_DAY = new RegExp(`(?<![a-z])${MON}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?!\\d)`, 'i');
const COMPACT = /(?<![\d/.-])(\d{8})(?![\d/.-])/;

const pad = (n: number) => String(n).padStart(2, '0');

function realDay(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? `${y}-${pad(m)}-${pad(d)}` : null;
}

const isoOf = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** A birth date is not in the future nor before 1900; an event (referral) date is recent and not far ahead. */
export function plausible(iso: string, kind: DateKind, today: Date): boolean {
  const now = isoOf(today);
  if (kind === 'birth') return iso >= '1900-01-01' && iso <= now;
  const ahead = isoOf(new Date(today.getTime() + 31 * 86_400_000));
  return iso >= '1990-01-01' && iso <= ahead;
}

function fullYear(y: string, kind: DateKind, today: Date): number {
  const n = Number(y.replace("'", ''));
  if (y.replace("'", '').length === 4) return n;
  const yy = today.getUTCFullYear() % 100;
  return kind === 'birth' && n > yy ? 1900 + n : 2000 + n;
}

type Raw = { y: number; a: number; b: number; start: number; end: number; order: 'md' | 'dm' | 'either-md' | 'either-dm' };

function firstRaw(s: string, o: DateOptions): Raw | null {
  const found: Raw[] = [];
  let m = ISO.exec(s);
  if (m) found.push({ y: +m[1]!, a: +m[2]!, b: +m[3]!, start: m.index, end: m.index + m[0].length, order: 'md' });
  m = NUMERIC.exec(s);
  if (m) {
    // Dotted dates are European (day first); slashes follow the document's convention.
    const dayFirst = m[2] === '.' || o.dayFirst;
    found.push({ y: fullYear(m[4]!, o.kind, o.today), a: +m[1]!, b: +m[3]!, start: m.index, end: m.index + m[0].length, order: dayFirst ? 'either-dm' : 'either-md' });
  }
  m = DAY_MONTH.exec(s);
  if (m) found.push({ y: fullYear(m[3]!, o.kind, o.today), a: MONTHS[m[2]!.slice(0, 3).toLowerCase()]!, b: +m[1]!, start: m.index, end: m.index + m[0].length, order: 'md' });
  m = MONTH_DAY.exec(s);
  if (m) found.push({ y: +m[3]!, a: MONTHS[m[1]!.slice(0, 3).toLowerCase()]!, b: +m[2]!, start: m.index, end: m.index + m[0].length, order: 'md' });
  m = COMPACT.exec(s);
  if (m) {
    const d = m[1]!;
    const start = m.index;
    const end = start + 8;
    if (/^(19|20)/.test(d)) found.push({ y: +d.slice(0, 4), a: +d.slice(4, 6), b: +d.slice(6), start, end, order: 'md' });
    else found.push({ y: +d.slice(4), a: +d.slice(0, 2), b: +d.slice(2, 4), start, end, order: o.dayFirst ? 'either-dm' : 'either-md' });
  }
  found.sort((x, y) => x.start - y.start);
  return found[0] ?? null;
}

/** The first date in `s` with a real, plausible reading; null when there is none. */
export function readDate(s: string, o: DateOptions): DateRead | null {
  const r = firstRaw(s, o);
  if (!r) return null;
  const md = realDay(r.y, r.a, r.b);
  const dm = r.order.startsWith('either') ? realDay(r.y, r.b, r.a) : null;
  const readings = (r.order === 'either-dm' ? [dm, md] : [md, dm]).filter((x, i, all): x is string => !!x && all.indexOf(x) === i && plausible(x, o.kind, o.today));
  if (!readings.length) return null;
  return { iso: readings[0]!, alts: readings, start: r.start, end: r.end, ambiguous: readings.length > 1 };
}

/** Is the string itself (punctuation aside) one date? Used for dated letterhead lines. */
export function isDateOnly(s: string, o: DateOptions): DateRead | null {
  const d = readDate(s, o);
  if (!d) return null;
  const rest = (s.slice(0, d.start) + s.slice(d.end)).replace(/\b(mon|tues?|wed(nes)?|thu(rs)?|fri|sat(ur)?|sun)(day)?\b|date[d:]?/gi, '');
  return /^[\s,.:-]*$/.test(rest) ? d : null;
}

/**
 * Whether ambiguous numeric dates read day-first: unambiguous dates in the document decide; failing those,
 * UK signals (NHS number, postcode, +44, British spellings) against US ones (NPI, ZIP, Medicare/Medicaid).
 */
export function prefersDayFirst(text: string): boolean {
  let df = 0;
  let mf = 0;
  for (const m of text.matchAll(/(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(?:\d{4}|\d{2})(?![\d/.-])/g)) {
    if (+m[1]! > 12 && +m[3]! <= 12) df++;
    else if (+m[3]! > 12 && +m[1]! <= 12) mf++;
  }
  if (df !== mf) return df > mf;
  const uk = (text.match(/\bNHS\b|\+44|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b|\b(paediatric|haematolog|orthopaed|gynaecolog|oesophag|colour|centre)\w*|\bA&E\b|\bGP\b/gi) ?? []).length;
  const us = (text.match(/\bNPI\b|\b[A-Z]{2},? \d{5}(?:-\d{4})?\b|\bZIP\b|\bMedicaid\b|\bMedicare\b|\(\d{3}\) ?\d{3}-\d{4}|\b(pediatric|hematolog|orthoped|gynecolog|center)\w*/g) ?? []).length;
  return uk > us;
}
