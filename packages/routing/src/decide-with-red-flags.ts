// The routing decision as the pipeline makes it: model prediction, what the referrer stated, red flags, then policy.
import { decide, type DecisionBasis, type StatedReferral, type Urgency } from './decide.ts';
import type { RoutingPolicy } from './policy.ts';
import { applyRedFlags, type RedFlagResult, type RedFlagRules } from './red-flags.ts';

type HeadPrediction<L extends string> = { label: L; confidence: number; probabilities: Partial<Record<L, number>> };

export type TriagePrediction = { urgency: HeadPrediction<Urgency>; specialty: HeadPrediction<string> };

export type RoutedCase = {
  /** Urgency after the stated and red-flag floors: never lower than the model's label. */
  urgency: Urgency;
  urgencyConfidence: number;
  /** The specialty routed to (auto) or suggested (review). */
  specialty: string;
  pEmergent: number;
  raisedBy: string[];
  decision: 'auto' | 'review';
  reasons: string[];
  redFlags: RedFlagResult;
  basis: DecisionBasis;
};

export const NO_FLAGS: RedFlagResult = Object.freeze({ hits: [], minimumUrgency: null, forceReview: false }) as RedFlagResult;

export function decideWithRedFlags(
  text: string,
  pred: TriagePrediction,
  policy: RoutingPolicy,
  rules: RedFlagRules | null,
  lowConfidencePages: number[] = [],
  stated?: StatedReferral,
): RoutedCase {
  const flags = rules ? applyRedFlags(text, rules) : NO_FLAGS;
  return routeWithFlags(pred, flags, policy, lowConfidencePages, stated);
}

/** Same as decideWithRedFlags with the rules already applied (the evaluation re-routes under many policies). */
export function routeWithFlags(pred: TriagePrediction, flags: RedFlagResult, policy: RoutingPolicy, lowConfidencePages: number[] = [], stated?: StatedReferral): RoutedCase {
  const d = decide(
    {
      urgency: { label: pred.urgency.label, confidence: pred.urgency.confidence, probabilities: pred.urgency.probabilities },
      specialty: { label: pred.specialty.label, confidence: pred.specialty.confidence, probabilities: pred.specialty.probabilities },
      ...(stated && { stated }),
      redFlagFloor: flags.minimumUrgency,
      lowConfidencePages,
    },
    policy,
  );
  const reasons: string[] = [...d.reasons];
  if (flags.forceReview) reasons.push('red_flag_review');
  return {
    urgency: d.urgency,
    urgencyConfidence: d.urgencyConfidence,
    specialty: d.specialty,
    pEmergent: pred.urgency.probabilities.emergent ?? 0,
    raisedBy: d.basis.priority.rule === 'red_flag' ? [...new Set(flags.hits.filter((h) => h.action !== 'force_review').map((h) => h.ruleId))] : [],
    decision: reasons.length ? 'review' : d.decision,
    reasons,
    redFlags: flags,
    basis: d.basis,
  };
}
