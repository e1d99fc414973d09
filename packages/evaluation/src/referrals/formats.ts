// The many ways one value is written: dates, phones, names, addresses, labels. Each document picks its own.
import type { Address, Locale, Patient, Phone, PersonName } from './people.ts';
import type { Draw } from './random.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number) => String(n).padStart(2, '0');
const ordinal = (n: number) => `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

export type DateStyle = (iso: string) => string;

/**
 * Date writers for a document's locale. Numeric day/month order follows the locale (a UK letter's 04/05/1958 is
 * 4 May), so every date stays readable by someone who knows where the letter came from.
 */
export function dateStyles(locale: Locale): DateStyle[] {
  const parts = (iso: string) => iso.split('-').map(Number) as [number, number, number];
  const common: DateStyle[] = [
    (iso) => iso,
    (iso) => {
      const [y, m, d] = parts(iso);
      return `${pad(d)}-${MONTHS[m - 1]!.slice(0, 3)}-${y}`;
    },
    (iso) => {
      const [y, m, d] = parts(iso);
      return `${d} ${MONTHS[m - 1]!.slice(0, 3)} ${y}`;
    },
  ];
  const uk: DateStyle[] = [
    (iso) => { const [y, m, d] = parts(iso); return `${pad(d)}/${pad(m)}/${y}`; },
    (iso) => { const [y, m, d] = parts(iso); return `${d}/${m}/${y}`; },
    (iso) => { const [y, m, d] = parts(iso); return `${pad(d)}.${pad(m)}.${y}`; },
    (iso) => { const [y, m, d] = parts(iso); return `${d} ${MONTHS[m - 1]} ${y}`; },
    (iso) => { const [y, m, d] = parts(iso); return `${ordinal(d)} ${MONTHS[m - 1]} ${y}`; },
  ];
  const us: DateStyle[] = [
    (iso) => { const [y, m, d] = parts(iso); return `${pad(m)}/${pad(d)}/${y}`; },
    (iso) => { const [y, m, d] = parts(iso); return `${m}/${d}/${y}`; },
    (iso) => { const [y, m, d] = parts(iso); return `${pad(m)}-${pad(d)}-${y}`; },
    (iso) => { const [y, m, d] = parts(iso); return `${MONTHS[m - 1]} ${d}, ${y}`; },
    (iso) => { const [y, m, d] = parts(iso); return `${MONTHS[m - 1]!.slice(0, 3)}. ${d}, ${y}`; },
  ];
  return [...common, ...(locale === 'uk' ? uk : us)];
}

export function formatPhone(d: Draw, p: Phone): string {
  const [a, b] = p.local;
  if (p.locale === 'us') {
    return d.pick([`(${p.area}) ${a}-${b}`, `${p.area}-${a}-${b}`, `${p.area}.${a}.${b}`, `+1 ${p.area} ${a} ${b}`, `1-${p.area}-${a}-${b}`, `(${p.area})${a}-${b}`]);
  }
  const rest = p.area.slice(1);
  return d.pick([`${p.area} ${a}${b}`, `${p.area} ${a} ${b}`, `(${p.area}) ${a}${b}`, `+44 ${rest} ${a} ${b}`, `+44 (0)${rest} ${a}${b}`]);
}

const TITLES = { female: ['Mrs', 'Ms', 'Miss', 'Mrs.', 'Ms.'], male: ['Mr', 'Mr.'] } as const;

export type Written = { text: string; truth: string };

/** A patient's name as this document writes it, and as a perfect reader returns it (given, middle, family). */
export function writePatientName(d: Draw, p: Patient): Written {
  const { given, middle, family } = p.name;
  const mid = middle ? (d.chance(0.5) ? middle : `${middle[0]}.`) : '';
  const truth = [given, mid, family].filter(Boolean).join(' ');
  const sp = mid ? ` ${mid}` : '';
  const text = d.weighted<() => string>([
    [() => `${given}${sp} ${family}`, 4],
    [() => `${family.toUpperCase()}, ${given}${sp}`, 2],
    [() => `${family}, ${given}${sp}`, 2],
    [() => `${d.pick(TITLES[p.sex])} ${given}${sp} ${family}`, 2],
    [() => `${given.toUpperCase()}${sp.toUpperCase()} ${family.toUpperCase()}`, 1],
  ])();
  return { text, truth };
}

export function writeReferrerName(d: Draw, r: { title: string; name: PersonName; postNominals: string }, withPostNominals = d.chance(0.5)): Written {
  const truth = d.chance(0.85) ? `${r.name.given} ${r.name.family}` : `${r.name.given[0]}. ${r.name.family}`;
  const titled = r.title ? `${r.title} ${truth}` : truth;
  return { text: withPostNominals && r.postNominals ? `${titled}${d.pick([', ', ' '])}${r.postNominals}` : titled, truth };
}

export function addressLines(a: Address, locale: Locale): string[] {
  const last = locale === 'us' ? [`${a.town}, ${a.region} ${a.postcode}`] : [a.town, ...(a.region ? [a.region] : []), a.postcode];
  return [a.line1, ...(a.line2 ? [a.line2] : []), ...last];
}

export type Casing = 'title' | 'upper' | 'lower' | 'sentence';

export function caseLabel(label: string, casing: Casing): string {
  if (casing === 'upper') return label.toUpperCase();
  if (casing === 'lower') return label.toLowerCase();
  if (casing === 'sentence') return label.charAt(0).toUpperCase() + label.slice(1).toLowerCase();
  return label.replace(/\b([a-z])/g, (m) => m.toUpperCase());
}

export type LabelStyle = { casing: Casing; sep: string };

export function labelStyle(d: Draw): LabelStyle {
  return { casing: d.weighted<Casing>([['title', 4], ['upper', 3], ['sentence', 2], ['lower', 1]]), sep: d.pick([': ', ':  ', ': ', ' - ', ':\t', ' : ']) };
}

export const labelled = (s: LabelStyle, label: string, value: string) => `${caseLabel(label, s.casing)}${s.sep}${value}`;
