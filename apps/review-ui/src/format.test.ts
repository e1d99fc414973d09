import { describe, expect, it } from 'vitest';
import { basisText, formatDuration, ranked, reasonText, segmentText, slaState } from './format.ts';

describe('formatDuration', () => {
  it('is coarse and readable', () => {
    expect(formatDuration(40_000)).toBe('40s');
    expect(formatDuration(12 * 60_000 + 5_000)).toBe('12m');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2h 05m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 1)).toBe('3d 4h');
    expect(formatDuration(-90_000)).toBe('1m');
  });
});

describe('slaState', () => {
  const task = { createdAt: '2026-12-01T10:00:00.000Z', dueAt: '2026-12-01T11:00:00.000Z' };
  it('counts down, warns in the last fifth, then says overdue', () => {
    expect(slaState(task, Date.parse('2026-12-01T10:15:00Z'))).toMatchObject({ level: 'ok', text: '45m left' });
    expect(slaState(task, Date.parse('2026-12-01T10:55:00Z'))).toMatchObject({ level: 'soon', text: '5m left' });
    expect(slaState(task, Date.parse('2026-12-01T12:30:00Z'))).toMatchObject({ level: 'overdue', text: 'overdue 1h 30m' });
  });
});

describe('reasonText', () => {
  it('puts every reason in words, naming red-flag rules', () => {
    expect(reasonText('low_urgency_confidence')).toBe('Model unsure of the urgency');
    expect(reasonText('red_flag:cauda-equina')).toBe('Red flag: Cauda equina');
    expect(reasonText('red_flag:sepsis', [{ rule: 'sepsis', label: 'Sepsis signs', start: 0, end: 1 }])).toBe('Red flag: Sepsis signs');
    expect(reasonText('something_new')).toBe('Something new');
  });
});

describe('segmentText', () => {
  const text = 'chest pain\n\nsee cardiology soon';
  const pages = [
    { pageNo: 1, start: 0, end: 10 },
    { pageNo: 2, start: 12, end: text.length },
  ];
  it('splits overlapping spans into flat segments per page', () => {
    const out = segmentText(text, pages, [
      { head: 'urgency', start: 0, end: 5, weight: 1 },
      { head: 'specialty', start: 16, end: 26, weight: 1 },
      { head: 'urgency', start: 16, end: 31, weight: 0.5 },
    ], [{ rule: 'cardiac-chest-pain', start: 0, end: 10 }]);
    expect(out.map((p) => p.pageNo)).toEqual([1, 2]);
    const p1 = out[0]!.segments.map((s) => [text.slice(s.start, s.end), s.heads.join(','), s.flags.join(',')]);
    expect(p1).toEqual([
      ['chest', 'urgency', 'cardiac-chest-pain'],
      [' pain', '', 'cardiac-chest-pain'],
    ]);
    const p2 = out[1]!.segments.map((s) => [text.slice(s.start, s.end), s.heads.join(',')]);
    expect(p2).toEqual([
      ['see ', ''],
      ['cardiology', 'specialty,urgency'],
      [' soon', 'urgency'],
    ]);
  });
  it('clamps offsets outside the text', () => {
    const out = segmentText('abc', [], [{ head: 'urgency', start: -4, end: 99, weight: 1 }], []);
    expect(out[0]!.segments).toEqual([{ start: 0, end: 3, heads: ['urgency'], flags: [] }]);
  });
});

describe('ranked', () => {
  it('orders labels by probability', () => {
    expect(ranked({ routine: 0.2, emergent: 0.5, urgent: 0.3 }).map(([l]) => l)).toEqual(['emergent', 'urgent', 'routine']);
  });
});

describe('basisText', () => {
  const priority = { rule: 'model' as const, urgency: 'routine' as const, model: 'routine' as const, modelConfidence: 0.9, stated: null, redFlag: null, pEmergent: 0.01 };
  it('names the rule and the evidence it weighed', () => {
    const agreement = basisText({ team: { rule: 'agreement', specialty: 'Urology', stated: 'Urology', model: 'Urology', modelConfidence: 0.62, modelSupportForStated: 0.62 }, priority });
    expect(agreement.team).toMatch(/^Agreement: the referral names Urology and the model reads Urology \(62/);
    expect(agreement.priority).toMatch(/^Model: routine/);
    const misdirected = basisText({
      team: { rule: null, specialty: 'Neurology', stated: 'Urology', model: 'Neurology', modelConfidence: 0.9, modelSupportForStated: 0.01 },
      priority: { ...priority, rule: 'conservative', urgency: 'urgent', modelConfidence: 0.55, pEmergent: 0.02 },
    });
    expect(misdirected.team).toMatch(/^Undecided: the referral names Urology, but the model reads Neurology/);
    expect(misdirected.priority).toMatch(/^Conservative: .* so it goes as urgent/);
    expect(basisText({ team: { rule: 'model', specialty: 'Urology', stated: null, model: 'Urology', modelConfidence: 0.97, modelSupportForStated: null }, priority: { ...priority, rule: 'stated_priority', urgency: 'urgent', stated: 'urgent' } }).priority).toMatch(/referrer asked for urgent/);
  });
});
