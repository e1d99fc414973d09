import { describe, expect, it } from 'vitest';
import { decide, type DecisionInput } from './decide.ts';
import { parsePolicy, loadPolicy, type RoutingPolicy } from './policy.ts';

const policy: RoutingPolicy = parsePolicy({
  version: 't1',
  thresholds: { urgency: 0.7, specialty: 0.6, emergentReview: 0.15 },
  teams: { Urology: { team: 'Urology', email: 'uro@example.org' } },
});

const input = (o: Partial<DecisionInput> = {}): DecisionInput => ({
  urgency: { label: 'routine', confidence: 0.9, probabilities: { routine: 0.9, urgent: 0.08, emergent: 0.02 } },
  specialty: { label: 'Urology', confidence: 0.8 },
  lowConfidencePages: [],
  ...o,
});

describe('routing decision', () => {
  it('auto-routes when both heads clear their thresholds', () => {
    const d = decide(input(), policy);
    expect(d.decision).toBe('auto');
    expect(d.team?.email).toBe('uro@example.org');
  });
  it('sends low confidence to review with every reason', () => {
    const d = decide(input({ specialty: { label: 'Urology', confidence: 0.3 }, urgency: { label: 'urgent', confidence: 0.5, probabilities: { urgent: 0.5 } } }), policy);
    expect(d).toMatchObject({ decision: 'review', reasons: ['low_urgency_confidence', 'low_specialty_confidence'] });
  });
  it('never auto-routes a possibly emergent case as routine', () => {
    const d = decide(input({ urgency: { label: 'routine', confidence: 0.8, probabilities: { routine: 0.8, emergent: 0.2 } } }), policy);
    expect(d.decision).toBe('review');
    expect(d.reasons).toContain('possible_emergent');
  });
  it('reviews when the specialty has no team, a page is unreadable, or the policy is paused', () => {
    expect(decide(input({ specialty: { label: 'Dentistry', confidence: 0.99 } }), policy).reasons).toEqual(['no_team_for_specialty']);
    expect(decide(input({ lowConfidencePages: [2] }), policy).reasons).toEqual(['unreadable_page']);
    expect(decide(input(), { ...policy, paused: true }).reasons).toEqual(['policy_paused']);
  });
  it('rejects an invalid policy with a precise message', () => {
    expect(() => parsePolicy({ version: 'x', thresholds: { urgency: 2, specialty: 0.5, emergentReview: 0.1 }, teams: {} })).toThrow(
      /thresholds\.urgency/,
    );
  });
  it('the shipped default policy is valid', () => {
    const p = loadPolicy(new URL('../../../policy/routing-policy.json', import.meta.url).pathname);
    expect(Object.keys(p.teams).length).toBeGreaterThan(20);
  });
});
