import type { RoutingPolicy, Team } from './policy.ts';

export type Urgency = 'emergent' | 'urgent' | 'routine';

export type DecisionInput = {
  urgency: { label: Urgency; confidence: number; probabilities: Partial<Record<Urgency, number>> };
  specialty: { label: string; confidence: number };
  /** Pages OCR could not read well enough to trust. */
  lowConfidencePages: number[];
};

export type ReviewReason =
  | 'policy_paused'
  | 'low_urgency_confidence'
  | 'low_specialty_confidence'
  | 'possible_emergent'
  | 'no_team_for_specialty'
  | 'unreadable_page'
  | 'red_flag_review';

export type Decision =
  | { decision: 'auto'; team: Team; reasons: [] }
  | { decision: 'review'; team: Team | null; reasons: ReviewReason[] };

/** Pure routing rule: auto-route only when every check passes; otherwise list every reason. */
export function decide(input: DecisionInput, policy: RoutingPolicy): Decision {
  const reasons: ReviewReason[] = [];
  const team = policy.teams[input.specialty.label] ?? null;
  if (policy.paused) reasons.push('policy_paused');
  if (input.urgency.confidence < policy.thresholds.urgency) reasons.push('low_urgency_confidence');
  if (input.specialty.confidence < policy.thresholds.specialty) reasons.push('low_specialty_confidence');
  const pEmergent = input.urgency.probabilities.emergent ?? 0;
  if (input.urgency.label !== 'emergent' && pEmergent >= policy.thresholds.emergentReview) reasons.push('possible_emergent');
  if (!team) reasons.push('no_team_for_specialty');
  if (input.lowConfidencePages.length > 0) reasons.push('unreadable_page');
  if (reasons.length === 0 && team) return { decision: 'auto', team, reasons: [] };
  return { decision: 'review', team, reasons };
}
