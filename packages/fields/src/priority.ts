import type { Urgency } from '@triage/contracts';

/** A stated priority: offsets into the searched string; `strength` is how explicit the statement is. */
export type PriorityHit = { value: Urgency; start: number; end: number; strength: number };

type Term = { re: string; value: Urgency; valueOnly?: boolean; pathway?: boolean };
// Order matters: the longer, negated forms come before the words they contain.
const TERMS: Term[] = [
  { re: 'non[\\s-]?urgent(?:ly)?|non[\\s-]?emergen(?:t|cy)', value: 'routine' },
  { re: 'not\\s+(?:an?\\s+)?(?:urgent(?:ly)?|emergen(?:t|cy))', value: 'routine' },
  { re: 'no\\s+(?:particular\\s+|great\\s+|real\\s+|special\\s+)?(?:rush|hurry|urgency)', value: 'routine' },
  { re: 'semi[\\s-]?urgent(?:ly)?', value: 'urgent' },
  { re: '(?:2|two)[\\s-]?weeks?[\\s-]?(?:wait|rule)|2\\s?ww|fast[\\s-]?track|suspected\\s+cancer\\s+pathway', value: 'urgent', pathway: true },
  { re: 'as\\s+soon\\s+as\\s+possible|asap|as\\s+a\\s+matter\\s+of\\s+urgency', value: 'urgent' },
  { re: 'as\\s+an\\s+emergency|emergen(?:t|tly|cy)|stat|same[\\s-]?day|immediate(?:ly)?|within\\s+24\\s*(?:h|hrs?|hours?)', value: 'emergent' },
  { re: 'urgent(?:ly)?|expedite[ds]?|expedited|sooner|soon|within\\s+(?:a|one|1|two|2)\\s+weeks?|within\\s+(?:[2-9]|1[0-4])\\s+days|within\\s+48\\s*(?:h|hrs?|hours?)|high\\s+priority', value: 'urgent' },
  { re: 'routine(?:ly)?|elective(?:ly)?|at\\s+your\\s+(?:earliest\\s+)?convenience|within\\s+(?:[3-9]|1[0-9]|three|four|six|eight|twelve)\\s+weeks|within\\s+(?:a|one|1|2|3|6|two|three|six)\\s+months?|low\\s+priority', value: 'routine' },
  { re: 'standard|normal|regular|non[\\s-]?emergent|low', value: 'routine', valueOnly: true },
  { re: 'high|priority|p1|cat(?:egory)?\\s*1', value: 'urgent', valueOnly: true },
  { re: 'emergency|critical|p0', value: 'emergent', valueOnly: true },
];
const TERM_RE = new RegExp(`(?<![a-z0-9])(?:${TERMS.map((t) => `(${t.re})`).join('|')})(?![a-z0-9])`, 'gi');

// A negator at most four words back, with no "and"/"but" between: "does not need to be seen urgently".
const NEGATION = /\b(?:not|no|never|without|nor|isn'?t|doesn'?t|don'?t|needn'?t|won'?t|shouldn'?t)(?:\s+(?!and\b|but\b|so\b|therefore\b|now\b|yet\b|if\b)[\w'-]+){0,4}\s*$/i;
/** After these words an urgency word names a place or an event, not this referral's priority. */
const PLACE = /^[\s-]*(?:care|department|dept|room|services?|admission|admitted|surgery|operation|physicians?|medicine|contact|number|visit|team|ambulance|c-?section|caesarean|laparotomy|treatment|centre|center|unit|ward|attendance|presentation|appendicectomy|appendectomy|repair|bloods?|tests?|labs?|investigations?|screening|checks?|monitoring|follow[\s-]?up|examination|exam|imaging|x-?rays?|scans?|vaccinations?|immuni[sz]ations?|smears?|mammogram|colonoscopy|ecg|physical|medications?|contraception|dental|contact)\b/i;
const PAST = /\b(?:was|were|had|has\s+had|been|previous(?:ly)?|prior|last\s+(?:year|month|week)|ago|history\s+of|in\s+(?:19|20)\d\d|attended|presented|admitted|underwent|discharged|required|needed)\b/i;
const REQUEST = /\b(?:please|kindly|grateful|appreciate|request(?:ing|ed)?|refer(?:ral|ring|red)?|appointment|appt|see|seen|review|assess(?:ment)?|consider|book|arrange|opinion|consult(?:ation)?|evaluat(?:e|ion)|priority|expedite|would\s+you|could\s+you|needs?\s+to\s+be)\b/i;
const ADJACENT = /^[\s-]*(?:referral|appointment|appt|review|assessment|opinion|consultation|consult|evaluation|slot|clinic|basis|outpatient|request)\b/i;

const BOX = /\[[\sxX✓✔_]?\]|[☐☒☑□■]|\(\s*[xX]?\s*\)/;
const HEAD_WORDS = new Set('referral request priority urgency please see seen review appointment re this is a an case patient category triage fax form needed required very most extremely mark marked as'.split(' '));

function termAt(m: RegExpExecArray): Term {
  const k = m.findIndex((g, i) => i > 0 && g !== undefined);
  return TERMS[k - 1]!;
}

function negated(before: string, value: Urgency): Urgency | null {
  if (!NEGATION.test(before)) return value;
  return value === 'routine' ? null : 'routine';
}

/** The priority a label value or tick-box option states ("Urgent (2 weeks)", "STAT", "not urgent"). */
export function priorityFromValue(s: string): PriorityHit | null {
  TERM_RE.lastIndex = 0;
  for (let m = TERM_RE.exec(s); m; m = TERM_RE.exec(s)) {
    const value = negated(s.slice(0, m.index), termAt(m).value);
    if (value) return { value, start: m.index, end: m.index + m[0].length, strength: 1 };
  }
  return null;
}

const MAX_HITS = 200;
/** How far around a word its line, clause and sentence are looked for. */
const CONTEXT = 300;

const clauseStart = (s: string, i: number) => Math.max(i - CONTEXT, s.lastIndexOf('.', i - 1), s.lastIndexOf(';', i - 1), s.lastIndexOf(',', i - 1), s.lastIndexOf('\n\n', i - 1), s.lastIndexOf(' but ', i - 1)) + 1;
function sentence(s: string, i: number): [number, number] {
  const a = Math.max(i - CONTEXT, s.lastIndexOf('.', i - 1), s.lastIndexOf('?', i - 1), s.lastIndexOf('!', i - 1), s.lastIndexOf('\n\n', i - 1)) + 1;
  const rest = s.slice(i, i + CONTEXT).search(/[.?!](?:\s|$)|\n\n/);
  return [a, rest < 0 ? Math.min(s.length, i + CONTEXT) : i + rest];
}

/**
 * Priorities stated in running text. A word counts when it is a request ("please see urgently"), a heading
 * ("URGENT"), names a pathway (2WW) or qualifies the referral ("urgent referral"); history ("emergency department
 * visit last year") does not.
 */
export function priorityPhrases(text: string): PriorityHit[] {
  const out: PriorityHit[] = [];
  TERM_RE.lastIndex = 0;
  let seen = 0;
  // A referral states its priority a handful of times; past a few hundred words of urgency it is not a letter.
  for (let m = TERM_RE.exec(text); m && seen < MAX_HITS; m = TERM_RE.exec(text)) {
    seen++;
    const term = termAt(m);
    if (term.valueOnly) continue;
    const word = m[0];
    const start = m.index;
    const end = start + word.length;
    // STAT is a priority only in capitals; "stat" is also a word inside clinical shorthand.
    if (/^stat$/i.test(word) && word !== 'STAT') continue;
    const after = text.slice(end, end + 40);
    if (term.value !== 'routine' && !/^not\b|^non/i.test(word) && PLACE.test(after)) continue;
    if (/^routine/i.test(word) && PLACE.test(after)) continue;
    const lineStart = Math.max(text.lastIndexOf('\n', start - 1) + 1, start - CONTEXT);
    const lineEndRaw = text.indexOf('\n', end);
    const line = text.slice(lineStart, Math.min(lineEndRaw < 0 ? text.length : lineEndRaw, end + CONTEXT));
    const value = negated(text.slice(clauseStart(text, start), start), term.value);
    if (!value) continue;
    const [s0, s1] = sentence(text, start);
    const clause = text.slice(clauseStart(text, start), end);
    // Tick-box rows name every option, ticked or not: the tick-box reader reads them.
    if (BOX.test(line)) continue;
    const others = line.slice(0, start - lineStart) + ' ' + line.slice(end - lineStart);
    const heading = others.toLowerCase().split(/[^a-z0-9]+/).every((w) => !w || HEAD_WORDS.has(w));
    let strength = 0;
    if (heading) strength = 0.9;
    else if (term.pathway) strength = 0.88;
    else if (ADJACENT.test(after) && !PAST.test(clause)) strength = 0.86;
    else if (REQUEST.test(text.slice(s0, s1)) && !PAST.test(clause)) strength = /^soon/i.test(word) ? 0.7 : /immediate|same/i.test(word) ? 0.8 : 0.85;
    else if (value === 'routine' && /^(?:non|not|no)\b|convenience/i.test(word)) strength = 0.8;
    if (strength > 0) out.push({ value, start, end, strength });
  }
  return out;
}
