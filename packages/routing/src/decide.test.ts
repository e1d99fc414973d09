import { describe, expect, it } from 'vitest';
import { decide, type DecisionInput } from './decide.ts';
import { parsePolicy, loadPolicy, type RoutingPolicy } from './policy.ts';

const policy: RoutingPolicy = parsePolicy({
  version: 't1',
  thresholds: { urgency: 0.7, specialty: 0.6, emergentReview: 0.15, statedClinic: 0.8, clinicSupport: 0.1 },
  teams: { Urology: { team: 'Urology', email: 'uro@example.org' }, Neurology: { team: 'Neurology', email: 'neuro@example.org' } },
});

const input = (o: Partial<DecisionInput> = {}): DecisionInput => ({
  urgency: { label: 'routine', confidence: 0.9, probabilities: { routine: 0.9, urgent: 0.08, emergent: 0.02 } },
  specialty: { label: 'Urology', confidence: 0.8, probabilities: { Urology: 0.8, Neurology: 0.05 } },
  lowConfidencePages: [],
  ...o,
});
const clinic = (specialty: string, confidence = 0.95) => ({ clinic: { specialty, confidence } });

describe('routing decision: team', () => {
  it('auto-routes on the model alone when no clinic is stated and it clears its threshold', () => {
    const d = decide(input(), policy);
    expect(d).toMatchObject({ decision: 'auto', specialty: 'Urology', basis: { team: { rule: 'model', stated: null } } });
    expect(d.team?.email).toBe('uro@example.org');
    expect(decide(input({ specialty: { label: 'Urology', confidence: 0.5 } }), policy).reasons).toEqual(['low_specialty_confidence']);
  });
  it('routes on agreement even when the model alone would be unsure', () => {
    const d = decide(input({ specialty: { label: 'Urology', confidence: 0.4 }, stated: clinic('Urology') }), policy);
    expect(d).toMatchObject({ decision: 'auto', specialty: 'Urology', basis: { team: { rule: 'agreement', stated: 'Urology' } } });
  });
  it('routes to the stated clinic when the model ranks another first but still supports it', () => {
    const d = decide(input({ specialty: { label: 'Urology', confidence: 0.5, probabilities: { Urology: 0.5, Neurology: 0.3 } }, stated: clinic('Neurology') }), policy);
    expect(d).toMatchObject({ decision: 'auto', specialty: 'Neurology', basis: { team: { rule: 'stated_clinic', modelSupportForStated: 0.3 } } });
  });
  it('never sends a referral to a stated clinic the content contradicts', () => {
    const d = decide(input({ specialty: { label: 'Urology', confidence: 0.95, probabilities: { Urology: 0.95, Neurology: 0.01 } }, stated: clinic('Neurology') }), policy);
    expect(d).toMatchObject({ decision: 'review', specialty: 'Urology', reasons: ['possible_misdirected'], basis: { team: { rule: null, stated: 'Neurology' } } });
  });
  it('ignores a clinic the reader is unsure it read, and one with no team', () => {
    const d = decide(input({ specialty: { label: 'Urology', confidence: 0.95, probabilities: { Urology: 0.95 } }, stated: clinic('Neurology', 0.5) }), policy);
    expect(d).toMatchObject({ decision: 'auto', specialty: 'Urology', basis: { team: { rule: 'model', stated: null } } });
    expect(decide(input({ stated: clinic('Dentistry') }), policy).basis.team.rule).toBe('model');
  });
});

describe('routing decision: priority', () => {
  it('is never lower than the stated priority or a red-flag floor; the model may raise it', () => {
    const stated = decide(input({ stated: { priority: { value: 'urgent', confidence: 0.9 } } }), policy);
    expect(stated).toMatchObject({ decision: 'auto', urgency: 'urgent', urgencyConfidence: 1, basis: { priority: { rule: 'stated_priority', model: 'routine' } } });
    const flag = decide(input({ redFlagFloor: 'urgent' }), policy);
    expect(flag).toMatchObject({ urgency: 'urgent', basis: { priority: { rule: 'red_flag' } } });
    const raised = decide(input({ urgency: { label: 'urgent', confidence: 0.8, probabilities: { urgent: 0.8, routine: 0.15, emergent: 0.05 } }, stated: { priority: { value: 'routine', confidence: 0.9 } } }), policy);
    expect(raised).toMatchObject({ decision: 'auto', urgency: 'urgent', basis: { priority: { rule: 'model', stated: 'routine' } } });
  });
  it('sends every emergency and possible emergency to a person at once', () => {
    expect(decide(input({ urgency: { label: 'emergent', confidence: 0.99, probabilities: { emergent: 0.99 } } }), policy).reasons).toEqual(['emergent_referral']);
    expect(decide(input({ stated: { priority: { value: 'emergent', confidence: 0.9 } } }), policy).reasons).toEqual(['emergent_referral']);
    expect(decide(input({ urgency: { label: 'emergent', confidence: 0.99, probabilities: { emergent: 0.99 } } }), { ...policy, emergentAutoRoute: true })).toMatchObject({ decision: 'auto', urgency: 'emergent' });
    const possible = decide(input({ urgency: { label: 'routine', confidence: 0.8, probabilities: { routine: 0.8, emergent: 0.2 } } }), policy);
    expect(possible).toMatchObject({ decision: 'review', reasons: ['possible_emergent'] });
  });
  it('on an unsure routine: review, or urgent when the policy is conservative', () => {
    const unsure = input({ urgency: { label: 'routine', confidence: 0.55, probabilities: { routine: 0.55, urgent: 0.4, emergent: 0.05 } } });
    expect(decide(unsure, policy)).toMatchObject({ decision: 'review', reasons: ['low_urgency_confidence'] });
    const c = decide(unsure, { ...policy, uncertainUrgency: 'conservative' });
    expect(c).toMatchObject({ decision: 'auto', urgency: 'urgent', basis: { priority: { rule: 'conservative' } } });
    expect(c.urgencyConfidence).toBeCloseTo(0.95);
  });
});

describe('routing decision: review reasons', () => {
  it('lists every reason', () => {
    const d = decide(input({ specialty: { label: 'Urology', confidence: 0.3 }, urgency: { label: 'routine', confidence: 0.5, probabilities: { routine: 0.5 } } }), policy);
    expect(d).toMatchObject({ decision: 'review', reasons: ['low_urgency_confidence', 'low_specialty_confidence'] });
  });
  it('reviews when the specialty has no team, a page is unreadable, or the policy is paused', () => {
    expect(decide(input({ specialty: { label: 'Dentistry', confidence: 0.99 } }), policy).reasons).toEqual(['no_team_for_specialty']);
    expect(decide(input({ lowConfidencePages: [2] }), policy).reasons).toEqual(['unreadable_page']);
    expect(decide(input(), { ...policy, paused: true }).reasons).toEqual(['policy_paused']);
  });
  it('rejects an invalid policy with a precise message', () => {
    expect(() => parsePolicy({ version: 'x', thresholds: { urgency: 2, specialty: 0.5, emergentReview: 0.1 }, teams: {} })).toThrow(/thresholds\.urgency/);
    expect(() => parsePolicy({ version: 'x', thresholds: { urgency: 0.5, specialty: 0.5, emergentReview: 0.1 }, uncertainUrgency: 'maybe', teams: {} })).toThrow(/uncertainUrgency/);
  });
  it('the shipped default policy is valid', () => {
    const p = loadPolicy(new URL('../../../policy/routing-policy.json', import.meta.url).pathname);
    expect(Object.keys(p.teams).length).toBeGreaterThan(20);
  });
});
