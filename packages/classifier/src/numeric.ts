// Vitals and referral-priority cues parsed from free text; the urgency head learns their weights.
export type Span = { start: number; end: number };
export type Reading = Span & { value: number };
export type Category<C extends string | number> = Span & { value: C };

export const CONTINUOUS = ['age', 'sbp', 'hr', 'rr', 'temp', 'spo2', 'pain'] as const;
export type ContinuousName = (typeof CONTINUOUS)[number];
export const MENTAL = ['alert', 'verbal', 'pain', 'unresponsive'] as const;
export const PRIORITY = ['stat', 'asap', 'emergency', 'urgent', '2ww', 'routine'] as const;
export type Mental = (typeof MENTAL)[number];
export type Priority = (typeof PRIORITY)[number];

export type Vitals = {
  readings: Partial<Record<ContinuousName, Reading>>;
  mental?: Category<Mental>;
  ambulance?: Category<0 | 1>;
  priority?: Category<Priority>;
};

type Rule = { re: RegExp; range: [number, number]; map?: (v: number) => number };
const VERB = String.raw`\s*(?:of|is|was|:|=)?\s*`;
const RULES: Record<ContinuousName, Rule[]> = {
  age: [
    { re: /\b(\d{1,3})[- ](?:years?|yrs?)[- ]old\b/i, range: [0, 120] },
    { re: /\baged?\s*:?\s*(\d{1,3})\b/i, range: [0, 120] },
    { re: /\b(\d{1,3})\s*(?:yo|y\/o|y\.o\.)/i, range: [0, 120] },
  ],
  sbp: [{ re: new RegExp(String.raw`\b(?:BP|blood pressure)${VERB}(\d{2,3})\s*\/\s*\d{2,3}`, 'i'), range: [40, 300] }],
  hr: [{ re: new RegExp(String.raw`\b(?:HR|heart rate|pulse(?: rate)?)${VERB}(\d{2,3})\b`, 'i'), range: [20, 250] }],
  rr: [{ re: new RegExp(String.raw`\b(?:RR|resp(?:iratory)? rate|respirations?)${VERB}(\d{1,2})\b`, 'i'), range: [4, 70] }],
  temp: [
    // Capital T only: lowercase "t" is too common as a stray token.
    { re: /\bT\s*[:=]?\s*(\d{2,3}(?:\.\d+)?)\b/, range: [30, 110], map: toCelsius },
    { re: new RegExp(String.raw`\btemp(?:erature)?${VERB}(\d{2,3}(?:\.\d+)?)`, 'i'), range: [30, 110], map: toCelsius },
  ],
  spo2: [
    {
      re: new RegExp(String.raw`\b(?:SpO2|SaO2|O2 sat(?:uration)?s?|oxygen saturation|sats?)${VERB}(\d{2,3})\s*%?`, 'i'),
      range: [50, 100],
    },
  ],
  pain: [
    { re: /\bNRS\s*:?\s*(\d{1,2})\b/i, range: [0, 10] },
    { re: /\bpain(?: score)?\s*(?:of|is|:)?\s*(\d{1,2})\s*\/\s*10\b/i, range: [0, 10] },
    { re: /\bpain:\s*(no)\b/i, range: [0, 0] },
  ],
};

function toCelsius(v: number): number {
  return v > 50 ? ((v - 32) * 5) / 9 : v;
}

function firstReading(text: string, rules: Rule[]): Reading | undefined {
  for (const rule of rules) {
    const m = rule.re.exec(text);
    if (!m || m[1] === undefined) continue;
    const raw = m[1].toLowerCase() === 'no' ? 0 : Number(m[1]);
    if (!Number.isFinite(raw) || raw < rule.range[0] || raw > rule.range[1]) continue;
    const start = m.index;
    return { value: rule.map ? rule.map(raw) : raw, start, end: start + m[0].length };
  }
  return undefined;
}

function spanOf(m: RegExpExecArray): Span {
  return { start: m.index, end: m.index + m[0].length };
}

const MENTAL_RE = /\b(?:mental status|avpu)\s*:?\s*(alert|verbal|pain|unresponsive)\b/i;
const ALERT_ORIENTED_RE = /\balert and oriented\b/i;
const AMBULANCE_RE = /\b(?:[Aa]mbulance|AMBULANCE|EMS|[Pp]aramedics?)\b/;
const ARRIVAL_RE = /\barrived by\b|\bwalk(?:ed)?[- ]?in\b|\bself[- ]presented\b/i;
// Most urgent first: when a letter states several, the most urgent wins. STAT only in capitals.
const PRIORITY_RES: [Priority, RegExp][] = [
  ['stat', /\bSTAT\b/],
  ['asap', /\bASAP\b|\bas soon as possible\b/i],
  // "emergency room/department" names a place, not a requested priority.
  ['emergency', /\bemergency\b(?!\s+(?:room|department|dept|ward|services?|medicine|physician))|\bemergent(?:ly)?\b/i],
  ['urgent', /\burgent(?:ly)?\b/i],
  ['2ww', /\b(?:2|two)[- ]?weeks?[- ]wait\b|\b2ww\b/i],
  ['routine', /\broutine\b/i],
];

export function parseVitals(text: string): Vitals {
  const readings: Vitals['readings'] = {};
  for (const name of CONTINUOUS) {
    const r = firstReading(text, RULES[name]);
    if (r) readings[name] = r;
  }
  const vitals: Vitals = { readings };
  const mental = MENTAL_RE.exec(text);
  if (mental?.[1]) vitals.mental = { value: mental[1].toLowerCase() as Mental, ...spanOf(mental) };
  else {
    const ao = ALERT_ORIENTED_RE.exec(text);
    if (ao) vitals.mental = { value: 'alert', ...spanOf(ao) };
  }
  const amb = AMBULANCE_RE.exec(text);
  if (amb) vitals.ambulance = { value: 1, ...spanOf(amb) };
  else {
    const arr = ARRIVAL_RE.exec(text);
    if (arr) vitals.ambulance = { value: 0, ...spanOf(arr) };
  }
  for (const [value, re] of PRIORITY_RES) {
    const m = re.exec(text);
    if (m) {
      vitals.priority = { value, ...spanOf(m) };
      break;
    }
  }
  return vitals;
}
