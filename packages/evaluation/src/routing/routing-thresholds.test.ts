import { describe, expect, it } from 'vitest';
import { NO_FLAGS, parsePolicy } from '@triage/routing';
import type { RoutingCase } from './routing-cases.ts';
import { routeReferral, routingMetrics } from './routing-metrics.ts';
import { chooseRoutingThresholds } from './routing-thresholds.ts';

const policy = parsePolicy({
  version: 't',
  thresholds: { urgency: 0.5, specialty: 0.5, emergentReview: 0.5 },
  teams: { Urology: { team: 'Urology', email: 'u@example.org' }, Neurology: { team: 'Neurology', email: 'n@example.org' } },
});

// A seeded generator of cases whose scores carry signal: the LTT walk must find thresholds that hold on fresh draws.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
function makeCases(n: number, seed: number): RoutingCase[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i): RoutingCase => {
    const ktas = i % 2 === 0;
    const gold = r() < 0.5 ? 'Urology' : 'Neurology';
    const other = gold === 'Urology' ? 'Neurology' : 'Urology';
    const conf = r();
    const right = r() < 0.4 + 0.6 * conf;
    const label = right ? gold : other;
    const named = r() < 0.6 ? (r() < 0.85 ? 'right' : 'wrong') : 'none';
    const namedTeam = named === 'right' ? gold : named === 'wrong' ? other : undefined;
    const u = r();
    const goldUrgency = u < 0.15 ? 'emergent' : u < 0.5 ? 'urgent' : 'routine';
    const pE = goldUrgency === 'emergent' ? 0.2 + 0.8 * r() : 0.3 * r() ** 2;
    const uConf = 0.4 + 0.6 * r();
    return {
      id: `c${i}`,
      channel: 'text',
      dataset: ktas ? 'ktas' : 'mtsamples',
      split: i % 4 < 2 ? 'calibration' : 'evaluation',
      layout: 'gp-letter',
      namedClinic: named,
      goldTeams: [gold],
      ...(ktas && { goldUrgency }),
      ...(namedTeam && { namedTeam }),
      pred: {
        urgency: { label: goldUrgency === 'routine' && uConf > 0.6 ? 'routine' : 'urgent', confidence: uConf, probabilities: { emergent: pE } },
        specialty: { label, confidence: conf, probabilities: { [label]: conf, [label === gold ? other : gold]: 1 - conf } },
      },
      flags: NO_FLAGS,
      stated: namedTeam ? { clinic: { specialty: namedTeam, confidence: 0.95 } } : {},
      fields: { patientName: { value: 'A B', confidence: 1, evidence: [], source: 'text' }, birthDate: { value: '1970-01-01', confidence: 1, evidence: [], source: 'text' } },
      lowConfidencePages: [],
    };
  });
}

describe('routing thresholds by Learn-then-Test', () => {
  const targets = { specialtyPrecision: 0.9, emergentUndertriage: 0.02, routineError: 0.2, delta: 0.05 };
  it('chooses thresholds whose risks hold on fresh cases, and reports the bounds', () => {
    const cal = makeCases(4000, 1);
    const { thresholds, chosen } = chooseRoutingThresholds(cal, policy, targets);
    for (const c of chosen) {
      expect(c.upperBound).toBeLessThanOrEqual(c.alpha + 1e-9);
      expect(c.fallback).toBe(false);
    }
    expect(thresholds.emergentReview).toBeGreaterThan(0.001);
    const fresh = makeCases(4000, 2);
    const tuned = { ...policy, thresholds };
    const m = routingMetrics(fresh, fresh.map((c) => routeReferral(c, tuned)));
    expect(m.noTouch).toBeGreaterThan(0.05);
    expect(m.emergentUnderTriageOfAll.rate!).toBeLessThanOrEqual(targets.emergentUndertriage);
    const mt = fresh.filter((c) => c.dataset === 'mtsamples');
    const mm = routingMetrics(mt, mt.map((c) => routeReferral(c, tuned)));
    expect(1 - mm.teamErrors.rate!).toBeGreaterThanOrEqual(targets.specialtyPrecision - 0.02);
  });
  it('falls back to the safest value when the data cannot bound a risk', () => {
    const few = makeCases(40, 3);
    const r = chooseRoutingThresholds(few, policy, targets);
    expect(r.chosen.find((c) => c.name === 'specialty')).toMatchObject({ fallback: true, value: 1 });
    expect(r.chosen.find((c) => c.name === 'clinicSupport')?.fallback).toBe(true);
    expect(r.thresholds.statedClinic).toBe(1);
  });
});
