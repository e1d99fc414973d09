// Clinical content for generated referrals, read at run time from the shared datasets (never copied into the repo).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ktasToUrgency, type Urgency } from '@triage/classifier';
import { ktasTeam, primaryTeam } from './clinics.ts';
import type { Sex } from './people.ts';

export type ClinicalItem = {
  dataset: 'mtsamples' | 'ktas';
  id: string;
  /** Every routing team the content is labelled with; `team` is the most specific of them. */
  teams: string[];
  team: string;
  /** KTAS only: the expert triage level mapped to the product's urgency. */
  urgency?: Urgency;
  reason: string;
  history: string;
  diagnosis?: string;
  age?: number;
  sex?: Sex;
};

export type ClinicalSources = { mtsamples: ClinicalItem[]; ktas: ClinicalItem[]; byTeam: Map<string, ClinicalItem[]> };

/** Plain ASCII, so the PDF fonts (WinAnsi) and the text channel hold the same characters. */
export const asciiFold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\n\x20-\x7e]/g, ' ');

const HEADING = /^\s*([A-Z][A-Z0-9 /&,()'-]{2,60}):\s*/;
const HISTORY_SECTIONS = /^(CHIEF COMPLAINT|HISTORY OF PRESENT ILLNESS|HISTORY|SUBJECTIVE|REASON FOR (CONSULTATION|REFERRAL|VISIT)|INDICATIONS?( FOR [A-Z ]+)?|PAST MEDICAL HISTORY|PMH|MEDICATIONS|CURRENT MEDICATIONS|ALLERGIES|SOCIAL HISTORY|FINDINGS|PHYSICAL EXAMINATION|REVIEW OF SYSTEMS)\b/;
const DIAGNOSIS_SECTIONS = /DIAGNOS|ASSESSMENT|IMPRESSION/;

type Section = { heading: string; body: string };

function sections(text: string): Section[] {
  const out: Section[] = [{ heading: '', body: '' }];
  for (const line of text.split('\n')) {
    const m = HEADING.exec(line);
    if (m) out.push({ heading: m[1]!.trim(), body: line.slice(m[0].length) });
    else out[out.length - 1]!.body += `\n${line}`;
  }
  return out.map((s) => ({ heading: s.heading, body: s.body.replace(/[ \t]+/g, ' ').replace(/\n\s*\n+/g, '\n').trim() })).filter((s) => s.body);
}

/** Cuts at the last sentence end before `max` characters. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('.\n'));
  return end > max / 3 ? cut.slice(0, end + 1) : `${cut.slice(0, cut.lastIndexOf(' '))} ...`;
}

// MTSamples letters keep a de-identified letterhead ("XYZ, M.D.", "Suite 123, ABC Avenue", "Dear XXXX"): not content.
const PLACEHOLDER_LINE = /^\s*(date|re:.*|dear .*|xyz,? m\.?d\.?.*|suite \d+.*|city, state.*|.*\bx{3,}\b.*|dob:\s*mm\/dd\/yyyy|mr#:\s*0+)\s*$/i;

/** History for a letter: the narrative sections (diagnosis sections are left out: a letter states those itself). */
export function historyOf(text: string, max = 900): string {
  const all = sections(asciiFold(text).split('\n').filter((l) => !PLACEHOLDER_LINE.test(l)).join('\n'));
  const wanted = all.filter((s) => HISTORY_SECTIONS.test(s.heading) && !DIAGNOSIS_SECTIONS.test(s.heading));
  const chosen = wanted.length ? wanted : all.filter((s) => !DIAGNOSIS_SECTIONS.test(s.heading)).slice(0, 3);
  let out = '';
  for (const s of chosen) {
    const piece = `${s.heading ? `${s.heading}: ` : ''}${s.body}`;
    if (out && out.length + piece.length > max) break;
    out = out ? `${out}\n${piece}` : piece;
  }
  return clip(out, max);
}

export function diagnosisOf(text: string): string | undefined {
  const s = sections(asciiFold(text)).find((x) => DIAGNOSIS_SECTIONS.test(x.heading));
  const first = s?.body.split('\n').map((l) => l.replace(/^\s*\d+[.)]\s*/, '').trim()).find((l) => l.length > 3);
  if (!first) return undefined;
  const sentence = first.split(/(?<=\.)\s/)[0]!.replace(/\.$/, '');
  return sentence.length <= 120 ? sentence : undefined;
}

export function ageOf(text: string): number | undefined {
  const m = /\b(\d{1,3})[- ](year|yr|month|week|day)s?[- ]old\b/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return /^y/i.test(m[2]!) ? (n <= 105 ? n : undefined) : 0;
}

export function sexOf(text: string): Sex | undefined {
  const count = (re: RegExp) => text.match(re)?.length ?? 0;
  const f = count(/\b(she|her|hers|female|woman|girl|lady|mrs|ms)\b/gi);
  const m = count(/\b(he|his|him|male|man|boy|gentleman|mr)\b/gi);
  return f > m ? 'female' : m > f ? 'male' : undefined;
}

async function jsonl(path: string): Promise<Array<Record<string, unknown>>> {
  const buf = await readFile(path);
  const raw = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
  return raw.toString('utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A description's first sentence: what a referrer puts on a "reason" line. */
const firstSentence = (s: string, max = 200) => clip(asciiFold(s).replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s+(?=[A-Z])/)[0]!, max);

/** MTSamples (reason, history, team) and KTAS (complaint, urgency), in file order so a seed always means the same. */
export async function loadClinicalSources(datasetsDir: string, teams: ReadonlySet<string>): Promise<ClinicalSources> {
  const mtsamples: ClinicalItem[] = [];
  for (const o of await jsonl(join(datasetsDir, 'mtsamples', 'documents.jsonl.gz'))) {
    const text = String(o.text ?? '');
    const specialties = Array.isArray(o.specialties) ? o.specialties.map(String) : [];
    const team = primaryTeam(specialties, teams);
    const reason = firstSentence(String(o.description ?? ''));
    if (!team || !text.trim() || reason.length < 3) continue;
    const diagnosis = diagnosisOf(text);
    const age = ageOf(text);
    const sex = sexOf(text);
    mtsamples.push({ dataset: 'mtsamples', id: String(o.id), teams: specialties.filter((s) => teams.has(s)), team, reason, history: historyOf(text), ...(diagnosis && { diagnosis }), ...(age !== undefined && { age }), ...(sex && { sex }) });
  }
  const ktas: ClinicalItem[] = [];
  for (const o of await jsonl(join(datasetsDir, 'ktas', 'triage.jsonl.gz'))) {
    const history = asciiFold(String(o.triage_text ?? '')).trim();
    const complaint = asciiFold(String(o.chief_complaint ?? '')).trim();
    const level = Number(o.ktas_expert);
    if (!history || !complaint || !(level >= 1 && level <= 5)) continue;
    const diagnosis = asciiFold(String(o.diagnosis_in_ed ?? '')).trim();
    const team = ktasTeam(complaint, diagnosis);
    const age = ageOf(history);
    const sex = sexOf(history);
    ktas.push({ dataset: 'ktas', id: String(o.id), teams: [team], team, urgency: ktasToUrgency(level), reason: complaint, history, ...(diagnosis && { diagnosis }), ...(age !== undefined && { age }), ...(sex && { sex }) });
  }
  const byTeam = new Map<string, ClinicalItem[]>();
  for (const item of [...mtsamples, ...ktas]) byTeam.set(item.team, [...(byTeam.get(item.team) ?? []), item]);
  return { mtsamples, ktas, byTeam };
}
