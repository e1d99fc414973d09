// Routing a prepared case as persist does, and the no-touch, precision and triage-safety figures over any set.
import type { Urgency } from '@triage/classifier';
import { informationGaps, routeWithFlags, urgencyRank, type RoutedCase, type RoutingPolicy } from '@triage/routing';
import { clopperPearsonUpper } from './ltt.ts';
import type { RoutingCase } from './routing-cases.ts';

export type Outcome = { decision: 'auto' | 'review'; routed: RoutedCase; reasons: string[] };

/** persist's decision: routing, then information gaps; a document the pipeline fails is never routed. */
export function routeReferral(c: RoutingCase, policy: RoutingPolicy): Outcome {
  const routed = routeWithFlags(c.pred, c.flags, policy, c.lowConfidencePages, c.stated);
  const team = policy.teams[routed.specialty]?.team ?? null;
  const gaps = informationGaps(policy, c.fields, team);
  const reasons = [...routed.reasons, ...gaps.reasons, ...(c.failure ? [`failed:${c.failure}`] : [])];
  return { decision: routed.decision === 'auto' && team && reasons.length === 0 ? 'auto' : 'review', routed, reasons };
}

export type Bound = { k: number; n: number; rate: number | null; upper95: number };
const bound = (k: number, n: number): Bound => ({ k, n, rate: n ? k / n : null, upper95: clopperPearsonUpper(k, n, 0.05) });

export type RoutingMetrics = {
  n: number;
  noTouch: number;
  /** Auto-routed by the routing rule alone, before missing-information holds. */
  routingNoTouch: number;
  /** Share whose team a rule decided, and whose priority was not held for a person: which side holds cases back. */
  teamDecided: number;
  priorityDecided: number;
  teamErrors: Bound;
  /** Emergent referrals auto-routed below emergent, among emergent referrals. */
  emergentUnderTriage: Bound;
  /** The same losses among all urgency-labelled referrals (the risk Learn-then-Test controls). */
  emergentUnderTriageOfAll: Bound;
  /** Auto-routed with an urgency above the label, among auto-routed urgency-labelled referrals. */
  overTriage: Bound;
  /** Auto-routed with an urgency below the label (any level). */
  underTriage: Bound;
  misdirected: { n: number; routedToStated: number; flagged: number; caughtRate: number | null };
  teamRules: Record<string, number>;
  priorityRules: Record<string, number>;
  reviewReasons: Record<string, number>;
};

const share = (k: number, n: number) => (n ? k / n : 0);
const PRIORITY_HOLDS = new Set(['emergent_referral', 'possible_emergent', 'low_urgency_confidence']);
const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
const rank = (u: Urgency) => urgencyRank(u);

export function routingMetrics(cases: RoutingCase[], outcomes: Outcome[]): RoutingMetrics {
  const pairs = cases.map((c, i) => ({ c, o: outcomes[i]! }));
  const auto = pairs.filter((p) => p.o.decision === 'auto');
  const wrongTeam = (p: (typeof pairs)[number]) => !p.c.goldTeams.includes(p.o.routed.specialty);
  const labelled = pairs.filter((p) => p.c.goldUrgency);
  const emergent = labelled.filter((p) => p.c.goldUrgency === 'emergent');
  const underEmergent = emergent.filter((p) => p.o.decision === 'auto' && p.o.routed.urgency !== 'emergent').length;
  const autoLabelled = auto.filter((p) => p.c.goldUrgency);
  const misdirected = pairs.filter((p) => p.c.namedClinic === 'wrong' && p.c.namedTeam);
  return {
    n: pairs.length,
    noTouch: pairs.length ? auto.length / pairs.length : 0,
    routingNoTouch: pairs.length ? pairs.filter((p) => p.o.routed.decision === 'auto' && !p.c.failure).length / pairs.length : 0,
    teamDecided: share(pairs.filter((p) => p.o.routed.basis.team.rule !== null).length, pairs.length),
    priorityDecided: share(pairs.filter((p) => !p.o.routed.reasons.some((r) => PRIORITY_HOLDS.has(r))).length, pairs.length),
    teamErrors: bound(auto.filter(wrongTeam).length, auto.length),
    emergentUnderTriage: bound(underEmergent, emergent.length),
    emergentUnderTriageOfAll: bound(underEmergent, labelled.length),
    overTriage: bound(autoLabelled.filter((p) => rank(p.o.routed.urgency) > rank(p.c.goldUrgency!)).length, autoLabelled.length),
    underTriage: bound(autoLabelled.filter((p) => rank(p.o.routed.urgency) < rank(p.c.goldUrgency!)).length, autoLabelled.length),
    misdirected: {
      n: misdirected.length,
      routedToStated: misdirected.filter((p) => p.o.decision === 'auto' && p.o.routed.specialty === p.c.namedTeam).length,
      flagged: misdirected.filter((p) => p.o.reasons.includes('possible_misdirected')).length,
      caughtRate: misdirected.length ? misdirected.filter((p) => !(p.o.decision === 'auto' && p.o.routed.specialty === p.c.namedTeam)).length / misdirected.length : null,
    },
    teamRules: count(auto.map((p) => p.o.routed.basis.team.rule ?? 'none')),
    priorityRules: count(auto.map((p) => p.o.routed.basis.priority.rule)),
    reviewReasons: count(pairs.filter((p) => p.o.decision === 'review').flatMap((p) => p.o.reasons.map((r) => r.replace(/:.*$/, ':*').replace(/^(red_flag|failed):\*$/, '$1')))),
  };
}
