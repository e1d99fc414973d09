// The routing decision as the pipeline should make it: model prediction, raised by red flags, then policy.
import { decide, type Decision, type Urgency } from './decide.ts';
import type { RoutingPolicy } from './policy.ts';

type HeadPrediction<L extends string> = { label: L; confidence: number; probabilities: Partial<Record<L, number>> };
import { applyRedFlags, raiseUrgency, type RedFlagResult, type RedFlagRules } from './red-flags.ts';

export type TriagePrediction = { urgency: HeadPrediction<Urgency>; specialty: HeadPrediction<string> };

export type RoutedCase = {
  /** Urgency after red flags: never lower than the model's label. */
  urgency: Urgency;
  urgencyConfidence: number;
  pEmergent: number;
  raisedBy: string[];
  decision: Decision['decision'];
  reasons: string[];
  redFlags: RedFlagResult;
};

/**
 * A raised label gets confidence 1: the rule, not the model, asserts it, so a low model confidence must not
 * push a red-flag case back below the floor via review heuristics. P(emergent) is left as the model said.
 */
export function routingInput(pred: TriagePrediction, flags: RedFlagResult): { label: Urgency; confidence: number } {
  const label = raiseUrgency(pred.urgency.label, flags.minimumUrgency);
  return { label, confidence: label === pred.urgency.label ? pred.urgency.confidence : 1 };
}

export function decideWithRedFlags(
  text: string,
  pred: TriagePrediction,
  policy: RoutingPolicy,
  rules: RedFlagRules | null,
  lowConfidencePages: number[] = [],
): RoutedCase {
  const flags = rules ? applyRedFlags(text, rules) : NO_FLAGS;
  return routeWithFlags(pred, flags, policy, lowConfidencePages);
}

export const NO_FLAGS: RedFlagResult = Object.freeze({ hits: [], minimumUrgency: null, forceReview: false }) as RedFlagResult;

/** Same as decideWithRedFlags with the rules already applied (the evaluation re-routes under many policies). */
export function routeWithFlags(pred: TriagePrediction, flags: RedFlagResult, policy: RoutingPolicy, lowConfidencePages: number[] = []): RoutedCase {
  const u = routingInput(pred, flags);
  const d = decide(
    {
      urgency: { label: u.label, confidence: u.confidence, probabilities: pred.urgency.probabilities },
      specialty: { label: pred.specialty.label, confidence: pred.specialty.confidence },
      lowConfidencePages,
    },
    policy,
  );
  const reasons: string[] = [...d.reasons];
  if (flags.forceReview) reasons.push('red_flag_review');
  return {
    urgency: u.label,
    urgencyConfidence: u.confidence,
    pEmergent: pred.urgency.probabilities.emergent ?? 0,
    raisedBy: u.label === pred.urgency.label ? [] : [...new Set(flags.hits.filter((h) => h.action !== 'force_review').map((h) => h.ruleId))],
    decision: reasons.length ? 'review' : d.decision,
    reasons,
    redFlags: flags,
  };
}
