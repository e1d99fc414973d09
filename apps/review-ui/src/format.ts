import { fieldLabel } from './field-labels.ts';
import type { DecisionBasis, Evidence, PageInfo, RedFlag, TaskSummary } from './types.ts';

/** "3d 4h", "2h 05m", "12m", "40s": coarse on purpose, a countdown is read at a glance. */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m`;
  return `${s % 60}s`;
}

export type SlaState = { text: string; level: 'ok' | 'soon' | 'overdue'; remainingMs: number };

/** Time left against the urgency's target; "soon" is the last fifth of the window. */
export function slaState(task: Pick<TaskSummary, 'createdAt' | 'dueAt'>, nowMs: number): SlaState {
  const due = Date.parse(task.dueAt);
  const window = Math.max(1, due - Date.parse(task.createdAt));
  const remainingMs = due - nowMs;
  if (remainingMs <= 0) return { text: `overdue ${formatDuration(remainingMs)}`, level: 'overdue', remainingMs };
  return { text: `${formatDuration(remainingMs)} left`, level: remainingMs < window / 5 ? 'soon' : 'ok', remainingMs };
}

const REASONS: Record<string, string> = {
  red_flag: 'Any red flag',
  low_urgency_confidence: 'Model unsure of the urgency',
  low_specialty_confidence: 'Model unsure of the specialty',
  possible_emergent: 'Possibly emergent',
  no_team_for_specialty: 'No team for this specialty',
  unreadable_page: 'A page could not be read reliably (low OCR confidence)',
  policy_paused: 'Automatic routing is paused',
  red_flag_review: 'A clinical red-flag rule asks for a person',
  emergent_referral: 'Emergency: a person sees every emergent referral at once',
  possible_misdirected: 'Possibly misdirected: the content points to another clinic than the one named',
  audit_sample: 'Audit sample: a random auto-routed case for a second look (its email has gone; a correction re-routes it)',
};

/** Every escalation reason in words; red flags name their rule (and label, when the API sends one). */
export function reasonText(code: string, redFlags: readonly RedFlag[] = []): string {
  if (code.startsWith('red_flag:')) {
    const rule = code.slice('red_flag:'.length);
    const label = redFlags.find((f) => f.rule === rule)?.label;
    return `Red flag: ${label ?? humanize(rule)}`;
  }
  if (code.startsWith('missing_information:')) return `Missing: ${fieldLabel(code.slice(20))}`;
  if (code.startsWith('conflicting:')) return `Conflicting values: ${fieldLabel(code.slice(12))}`;
  if (code === 'missing_information') return 'Required information missing';
  if (code === 'conflicting') return 'Conflicting values';
  return REASONS[code] ?? humanize(code);
}

/** Short form for queue chips. */
export function reasonChip(code: string): string {
  if (code.startsWith('red_flag:')) return `red flag: ${humanize(code.slice(9)).toLowerCase()}`;
  if (code.startsWith('missing_information:')) return `missing ${fieldLabel(code.slice(20)).toLowerCase()}`;
  if (code.startsWith('conflicting:')) return `conflicting ${fieldLabel(code.slice(12)).toLowerCase()}`;
  const short: Record<string, string> = {
    low_urgency_confidence: 'unsure urgency',
    low_specialty_confidence: 'unsure specialty',
    possible_emergent: 'possibly emergent',
    no_team_for_specialty: 'no team',
    unreadable_page: 'unreadable page',
    policy_paused: 'policy paused',
    red_flag_review: 'red flag review',
    emergent_referral: 'emergency',
    possible_misdirected: 'possibly misdirected',
    audit_sample: 'audit sample',
  };
  return short[code] ?? humanize(code).toLowerCase();
}

export function humanize(code: string): string {
  const s = code.replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const percent = (p: number) => `${Math.round(p * 100)}%`;

/** `focus`: inside the span of the field the reviewer picked in the fields panel. */
export type Segment = { start: number; end: number; heads: Evidence['head'][]; flags: string[]; focus?: true };

/**
 * Cuts the text at every span and page boundary so overlapping evidence and red-flag spans render as flat,
 * non-nested marks, grouped by page. Out-of-range offsets are clamped, never trusted.
 */
export function segmentText(
  text: string,
  pages: readonly Pick<PageInfo, 'pageNo' | 'start' | 'end'>[],
  evidence: readonly Evidence[],
  redFlags: readonly RedFlag[],
  focus: readonly { start: number; end: number }[] = [],
): { pageNo: number; segments: Segment[] }[] {
  const clamp = (n: number) => Math.max(0, Math.min(text.length, Math.floor(n)));
  const spans = [
    ...evidence.map((e) => ({ start: clamp(e.start), end: clamp(e.end), head: e.head, flag: undefined })),
    ...redFlags.map((f) => ({ start: clamp(f.start), end: clamp(f.end), head: undefined, flag: f.rule })),
    ...focus.map((f) => ({ start: clamp(f.start), end: clamp(f.end), head: undefined, flag: undefined, focus: true as const })),
  ].filter((s) => s.end > s.start);
  const pageSpans = pages.length
    ? pages.map((p) => ({ pageNo: p.pageNo, start: clamp(p.start), end: clamp(p.end) }))
    : [{ pageNo: 1, start: 0, end: text.length }];
  return pageSpans.map((page) => {
    const cuts = new Set([page.start, page.end]);
    for (const s of spans) {
      if (s.start > page.start && s.start < page.end) cuts.add(s.start);
      if (s.end > page.start && s.end < page.end) cuts.add(s.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const segments: Segment[] = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const start = points[i]!;
      const end = points[i + 1]!;
      const covering = spans.filter((s) => s.start <= start && s.end >= end);
      const heads = [...new Set(covering.flatMap((s) => (s.head ? [s.head] : [])))].sort();
      const flags = [...new Set(covering.flatMap((s) => (s.flag ? [s.flag] : [])))];
      const focused = covering.some((s) => 'focus' in s);
      segments.push({ start, end, heads, flags, ...(focused ? { focus: true as const } : {}) });
    }
    return { pageNo: page.pageNo, segments };
  });
}

/** Labels sorted by probability, highest first. */
export function ranked(probs: Record<string, number>): [string, number][] {
  return Object.entries(probs).sort((a, b) => b[1] - a[1]);
}

/** The routing rule's account of itself, one sentence for the team and one for the priority. */
export function basisText(b: DecisionBasis): { team: string; priority: string } {
  const t = b.team;
  const model = `the model reads ${t.model} (${percent(t.modelConfidence)})`;
  const support = t.modelSupportForStated === null ? '' : ` and gives it ${percent(t.modelSupportForStated)}`;
  const team =
    t.rule === 'agreement' ? `Agreement: the referral names ${t.stated} and ${model}.`
    : t.rule === 'stated_clinic' ? `Stated clinic: the referral names ${t.stated}; ${model}${support}, not enough to contradict it.`
    : t.rule === 'model' ? `Model: no clinic named; ${model}.`
    : t.stated ? `Undecided: the referral names ${t.stated}, but ${model}${support}.`
    : `Undecided: no clinic named, and ${model}, below its threshold.`;
  const p = b.priority;
  const priority =
    p.rule === 'stated_priority' ? `Stated priority: the referrer asked for ${p.stated}; the model said ${p.model} (${percent(p.modelConfidence)}).`
    : p.rule === 'red_flag' ? `Red flag: a rule requires at least ${p.redFlag}; the model said ${p.model} (${percent(p.modelConfidence)}).`
    : p.rule === 'conservative' ? `Conservative: the model was unsure the case is routine (${percent(p.modelConfidence)}) but emergency is ruled out (P(emergent) ${percent(p.pEmergent)}), so it goes as urgent.`
    : `Model: ${p.model} (${percent(p.modelConfidence)})${p.stated ? `, at or above the stated ${p.stated}` : ''}.`;
  return { team, priority };
}
