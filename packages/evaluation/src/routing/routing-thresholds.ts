// Thresholds with a guarantee: each one chosen by Learn-then-Test on cross-validated calibration cases.
import type { RoutingPolicy } from '@triage/routing';
import { routeWithFlags } from '@triage/routing';
import { clopperPearsonUpper, fixedSequence, type LttStep } from './ltt.ts';
import type { RoutingCase } from './routing-cases.ts';

export type RoutingTargets = {
  /** Team precision among auto-routed referrals (each team rule separately, so their mixture holds too). */
  specialtyPrecision: number;
  /** Share of referrals that are emergent and auto-routed below emergent. */
  emergentUndertriage: number;
  /** Share of referrals auto-routed as routine that a label puts higher. */
  routineError: number;
  /** Each bound holds with probability 1 - delta. */
  delta: number;
};

export type ChosenThreshold = {
  name: 'emergentReview' | 'urgency' | 'specialty' | 'clinicSupport';
  value: number;
  alpha: number;
  /** The risk at the chosen value on the calibration cases, with its Clopper–Pearson upper bound at 1 - delta. */
  losses: number;
  n: number;
  upperBound: number;
  /** No candidate passed: the safest value is used (the rule never fires on its own). */
  fallback: boolean;
  tested: number;
};

const grid = (values: number[]) => [...new Set(values.map((v) => Math.round(v * 10000) / 10000))];
/** Ascending P(emergent) review thresholds: the safest (review almost everything) first. */
const EMERGENT_GRID = grid([0.001, 0.002, 0.005, ...Array.from({ length: 99 }, (_, i) => (i + 1) / 100)]);
/** Descending confidence thresholds: the safest (route nothing) first. */
const CONFIDENCE_GRID = grid([1, 0.999, 0.995, ...Array.from({ length: 99 }, (_, i) => 0.99 - i / 100)]).filter((v) => v > 0);
const SUPPORT_GRID = grid([1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.08, 0.06, 0.05, 0.04, 0.03, 0.02, 0.01, 0.005, 0.002, 0.001, 0]);

function pick(name: ChosenThreshold['name'], steps: LttStep<number>[], chosen: number | null, safest: number, alpha: number, delta: number): ChosenThreshold {
  const at = steps.find((s) => s.candidate === chosen);
  const losses = at?.losses ?? 0;
  const n = at?.n ?? 0;
  return { name, value: chosen ?? safest, alpha, losses, n, upperBound: n ? clopperPearsonUpper(losses, n, delta) : 1, fallback: chosen === null, tested: steps.length };
}

const PRIORITY_REASONS = new Set(['emergent_referral', 'possible_emergent']);

/**
 * Pure: calibration cases in, thresholds and their bounds out. Each risk is bounded on its own at 1 - delta, in
 * the order the policy applies them: emergency first (it does not depend on the others), then the routine
 * confidence under it, then the two team rules.
 */
export function chooseRoutingThresholds(cases: RoutingCase[], policy: RoutingPolicy, targets: RoutingTargets): { thresholds: RoutingPolicy['thresholds']; chosen: ChosenThreshold[]; notes: string[] } {
  const notes: string[] = [];
  const base = { ...policy, paused: false };
  const usable = cases.filter((c) => !c.failure);
  const labelled = usable.filter((c) => c.goldUrgency);
  const withT = (t: Partial<RoutingPolicy['thresholds']>, p: Partial<RoutingPolicy> = {}): RoutingPolicy => ({ ...base, ...p, thresholds: { ...base.thresholds, ...t } });
  const route = (c: RoutingCase, p: RoutingPolicy) => routeWithFlags(c.pred, c.flags, p, [], c.stated);

  // 1. Emergencies: a loss is an emergent referral whose priority the policy lets through below emergent. Judged
  // as if the routine-confidence gate and the team rules always passed (conservative: they can only add review).
  const em = fixedSequence(
    EMERGENT_GRID,
    (t) => {
      const p = withT({ emergentReview: t }, { uncertainUrgency: 'conservative' });
      const losses = labelled.filter((c) => c.goldUrgency === 'emergent' && (() => {
        const r = route(c, p);
        return r.urgency !== 'emergent' && !r.reasons.some((x) => PRIORITY_REASONS.has(x));
      })()).length;
      return { losses, n: labelled.length };
    },
    targets.emergentUndertriage,
    targets.delta,
  );
  const emergent = pick('emergentReview', em.steps, em.chosen, EMERGENT_GRID[0]!, targets.emergentUndertriage, targets.delta);
  if (!labelled.length) notes.push('no urgency-labelled calibration cases: emergentReview left at its safest value');

  // 2. Routine on the model's word: among referrals it would route as routine, those labelled higher.
  const routine = fixedSequence(
    CONFIDENCE_GRID,
    (t) => {
      const p = withT({ emergentReview: emergent.value, urgency: t }, { uncertainUrgency: 'review' });
      const set = labelled.filter((c) => {
        const r = route(c, p);
        return r.urgency === 'routine' && !r.reasons.some((x) => PRIORITY_REASONS.has(x) || x === 'low_urgency_confidence');
      });
      return { losses: set.filter((c) => c.goldUrgency !== 'routine').length, n: set.length };
    },
    targets.routineError,
    targets.delta,
    30,
  );
  const urgency = pick('urgency', routine.steps, routine.chosen, 1, targets.routineError, targets.delta);

  // 3 and 4. Teams, on specialty-labelled content only (the KTAS teams are derived from the complaint, not labels).
  const specialtyLabelled = usable.filter((c) => c.dataset === 'mtsamples');
  const statedCounts = (c: RoutingCase) => !!c.stated.clinic && c.stated.clinic.confidence >= base.thresholds.statedClinic && !!base.teams[c.stated.clinic.specialty];
  const alphaTeam = Number((1 - targets.specialtyPrecision).toFixed(6));
  const modelOnly = specialtyLabelled.filter((c) => !statedCounts(c));
  const spec = fixedSequence(
    CONFIDENCE_GRID,
    (t) => {
      const set = modelOnly.filter((c) => c.pred.specialty.confidence >= t);
      return { losses: set.filter((c) => !c.goldTeams.includes(c.pred.specialty.label)).length, n: set.length };
    },
    alphaTeam,
    targets.delta,
    30,
  );
  const specialty = pick('specialty', spec.steps, spec.chosen, 1, alphaTeam, targets.delta);
  const stated = specialtyLabelled.filter(statedCounts);
  const sup = fixedSequence(
    SUPPORT_GRID,
    (t) => {
      const p = withT({ clinicSupport: t });
      const set = stated.map((c) => ({ c, r: route(c, p) })).filter(({ r }) => r.basis.team.rule === 'agreement' || r.basis.team.rule === 'stated_clinic');
      return { losses: set.filter(({ c, r }) => !c.goldTeams.includes(r.specialty)).length, n: set.length };
    },
    alphaTeam,
    targets.delta,
    30,
  );
  const clinicSupport = pick('clinicSupport', sup.steps, sup.chosen, 1, alphaTeam, targets.delta);
  // Even agreement could not be certified: then a stated clinic must not route at all (only a certain statement counts).
  const statedClinic = clinicSupport.fallback ? 1 : base.thresholds.statedClinic;
  if (clinicSupport.fallback) notes.push('not even agreement between the stated clinic and the model reaches the team precision target: statedClinic set to 1 (a stated clinic counts only when read with certainty)');
  for (const c of [emergent, urgency, specialty]) if (c.fallback) notes.push(`${c.name}: no candidate bounds the risk at ${c.alpha} with confidence ${1 - targets.delta}; left at its safest value ${c.value}`);
  const chosen = [emergent, urgency, specialty, clinicSupport];
  return {
    thresholds: { ...base.thresholds, emergentReview: emergent.value, urgency: urgency.value, specialty: specialty.value, clinicSupport: clinicSupport.value, statedClinic },
    chosen,
    notes,
  };
}
