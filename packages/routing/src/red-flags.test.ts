import { describe, expect, it } from 'vitest';
import { applyRedFlags, lineBreakTolerant, loadRedFlags, parseRedFlags, raiseUrgency, type RedFlagRules } from './red-flags.ts';
import { decideWithRedFlags } from './decide-with-red-flags.ts';
import { parsePolicy } from './policy.ts';

const rules = loadRedFlags();

// One positive and one negated sentence per shipped rule.
const CASES: Record<string, { positive: string; negated: string }> = {
  stroke: { positive: 'Woke with facial droop and slurred speech.', negated: 'No facial droop, denies slurred speech.' },
  'cardiac-chest-pain': {
    positive: 'Chest pain radiating to the left arm with diaphoresis.',
    negated: 'Denies chest pain. Radiating to the arm is the shoulder ache.',
  },
  'acute-coronary-syndrome': { positive: 'ECG shows ST elevation in V2-V4.', negated: 'ECG without ST elevation.' },
  'cauda-equina': { positive: 'Reports saddle anaesthesia since yesterday.', negated: 'He denies saddle anaesthesia.' },
  'suspected-cancer': { positive: 'Referred on the 2-week-wait pathway for a breast lump.', negated: 'No breast lump found on examination.' },
  'rectal-bleeding-over-50': {
    positive: 'A 67-year-old man with rectal bleeding for six weeks.',
    negated: 'A 67-year-old man. Denies rectal bleeding.',
  },
  sepsis: { positive: 'Fever of 39.2 with tachycardia and rigors.', negated: 'No rigors; no signs of sepsis.' },
  'suicidal-intent': { positive: 'Expresses suicidal ideation with a plan.', negated: 'Denies any suicide plan.' },
  'suicidal-ideation-self-harm': { positive: 'Has had suicidal thoughts and is self-harming.', negated: 'Denies suicidal thoughts or self-harm.' },
  anaphylaxis: { positive: 'Tongue swelling and stridor after a bee sting.', negated: 'No stridor, no tongue swelling.' },
  'testicular-torsion': { positive: 'Sudden onset of severe testicular pain this morning.', negated: 'Torsion was ruled out; no testicular torsion.' },
  'ectopic-pregnancy': { positive: 'Pregnant at 6 weeks with pelvic pain.', negated: 'Scan: no ectopic pregnancy.' },
  'gi-bleed-unstable': { positive: 'Haematemesis this morning, now hypotensive.', negated: 'Denies haematemesis or melena; not hypotensive.' },
  'thunderclap-headache': { positive: 'Thunderclap headache while lifting.', negated: 'Without thunderclap headache.' },
  safeguarding: { positive: 'There is a safeguarding concern at home.', negated: 'No safeguarding concern.' },
};

const ids = (text: string, r: RedFlagRules = rules) => [...new Set(applyRedFlags(text, r).hits.map((h) => h.ruleId))];

describe('red-flag rules', () => {
  it('covers every shipped rule with a test sentence', () => {
    expect(rules.rules.map((r) => r.id).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [id, c] of Object.entries(CASES)) {
    it(`${id}: fires on a positive sentence and not on a negated one`, () => {
      expect(ids(c.positive)).toContain(id);
      expect(ids(c.negated)).not.toContain(id);
    });
  }

  it('denied chest pain fires nothing; a clause break ends the negation', () => {
    expect(ids('Patient denies chest pain radiating to the arm, no diaphoresis.')).toEqual([]);
    expect(ids('No fever but rigors overnight.')).toContain('sepsis');
  });

  it('treats past, conditional and consent-risk mentions as not current', () => {
    expect(ids('He has never had anaphylactic reactions.')).toEqual([]);
    expect(ids('History of stroke with residual left sided hemiplegia.')).toEqual([]);
    expect(ids('EpiPen prescribed in the event of acute angioedema.')).toEqual([]);
    expect(ids('Risks include bleeding, infection and sepsis.')).toEqual([]);
    // "72-year-old" must not read as a cue.
    expect(ids('A 72-year-old woman with sudden weakness of the right arm.')).toContain('stroke');
  });

  it('matches phrases a PDF or fax broke across lines; a line break still ends a negation (the safe side)', () => {
    expect(lineBreakTolerant('(left|right)[- ]sided a\\ b')).toBe('(left|right)[-\\s]sided\\s+a\\ b');
    const wrapped = 'Woke with facial\ndroop and slurred  \n speech.';
    const hits = applyRedFlags(wrapped, rules).hits.filter((h) => h.ruleId === 'stroke');
    expect(hits.map((h) => wrapped.slice(h.start, h.end))).toEqual(['facial\ndroop', 'slurred  \n speech']);
    expect(applyRedFlags('She is negative for facial\ndroop.', rules).hits.filter((h) => h.ruleId === 'stroke')).toEqual([]);
    // Lists put one finding per line ("No fever\nFacial droop"): a cue never reaches into the next line.
    expect(applyRedFlags('No fever\nfacial droop since noon.', rules).hits.filter((h) => h.ruleId === 'stroke')).toHaveLength(1);
  });

  it('reports offsets that point at the matched text', () => {
    const text = 'Seen today. Sudden weakness of the left arm.';
    const hit = applyRedFlags(text, rules).hits[0]!;
    expect(text.slice(hit.start, hit.end)).toBe(hit.term);
    expect(hit.term.toLowerCase()).toContain('sudden weakness');
  });

  it('needs the "requires" context: rectal bleeding under 50 is not a cancer flag', () => {
    expect(ids('A 34-year-old woman with rectal bleeding.')).not.toContain('rectal-bleeding-over-50');
  });

  it('combines rules by taking the highest floor, and review is additive', () => {
    const r = applyRedFlags('Breast lump. Safeguarding concern. Facial droop.', rules);
    expect(r.minimumUrgency).toBe('emergent');
    expect(r.forceReview).toBe(true);
    expect(applyRedFlags('Routine review of eczema.', rules)).toEqual({ hits: [], minimumUrgency: null, forceReview: false });
  });

  it('can only raise urgency, never lower it', () => {
    expect(raiseUrgency('emergent', 'urgent')).toBe('emergent');
    expect(raiseUrgency('urgent', null)).toBe('urgent');
    expect(raiseUrgency('routine', 'urgent')).toBe('urgent');
    const policy = parsePolicy({ version: 't', thresholds: { urgency: 0.5, specialty: 0.5, emergentReview: 0.3 }, teams: { Urology: { team: 'U', email: 'u@example.org' } } });
    const pred = (label: 'emergent' | 'urgent' | 'routine') => ({
      urgency: { label, confidence: 0.9, probabilities: { emergent: label === 'emergent' ? 0.9 : 0.05, urgent: 0.05, routine: 0.05 } },
      specialty: { label: 'Urology', confidence: 0.9, probabilities: { Urology: 0.9 } },
    });
    for (const label of ['emergent', 'urgent', 'routine'] as const) {
      for (const text of ['Breast lump.', 'Facial droop.', 'Nothing of note.']) {
        const routed = decideWithRedFlags(text, pred(label), policy, rules);
        const rank = { routine: 0, urgent: 1, emergent: 2 };
        expect(rank[routed.urgency]).toBeGreaterThanOrEqual(rank[label]);
      }
    }
    expect(decideWithRedFlags('Safeguarding concern.', pred('routine'), policy, rules)).toMatchObject({ decision: 'review', reasons: ['red_flag_review'] });
  });

  it('rejects invalid rule files precisely', () => {
    const base = { version: 'v', negation: { cues: ['no'], window: 3 } };
    expect(() => parseRedFlags({ ...base, rules: [{ id: 'x', description: 'd', action: 'lower', patterns: ['a'] }] })).toThrow(/rules\.0\.action/);
    expect(() => parseRedFlags({ ...base, rules: [{ id: 'x', description: 'd', action: 'force_review', patterns: ['(a'] }] })).toThrow(/regular expression/);
    const dup = { id: 'x', description: 'd', action: 'force_review', patterns: ['a'] };
    expect(() => parseRedFlags({ ...base, rules: [dup, dup] })).toThrow(/unique/);
  });
});
