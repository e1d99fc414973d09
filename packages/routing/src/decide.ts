// The routing decision: team and priority decided separately, each from its own evidence, each explained.
import type { RoutingPolicy, Team } from './policy.ts';

export type Urgency = 'emergent' | 'urgent' | 'routine';

const RANK: Record<Urgency, number> = { routine: 0, urgent: 1, emergent: 2 };
export const higherUrgency = (a: Urgency, b: Urgency | null | undefined): Urgency => (b && RANK[b] > RANK[a] ? b : a);
export const urgencyRank = (u: Urgency) => RANK[u];

/** What the referrer wrote (from the fields stage), with the reader's confidence in each. */
export type StatedReferral = {
  /** The clinic named, as a policy specialty. */
  clinic?: { specialty: string; confidence: number };
  priority?: { value: Urgency; confidence: number };
};

export type DecisionInput = {
  urgency: { label: Urgency; confidence: number; probabilities: Partial<Record<Urgency, number>> };
  /** `probabilities` over every specialty: how much the model supports a clinic it did not rank first. */
  specialty: { label: string; confidence: number; probabilities?: Partial<Record<string, number>> };
  stated?: StatedReferral;
  /** The lowest urgency red-flag rules allow. */
  redFlagFloor?: Urgency | null;
  /** Pages OCR could not read well enough to trust. */
  lowConfidencePages: number[];
};

export type ReviewReason =
  | 'policy_paused'
  | 'low_urgency_confidence'
  | 'low_specialty_confidence'
  | 'possible_emergent'
  | 'emergent_referral'
  | 'possible_misdirected'
  | 'no_team_for_specialty'
  | 'unreadable_page'
  | 'red_flag_review';

/** Which rule chose the team: both sources agree, the referrer's clinic (model not against it), or the model alone. */
export type TeamRule = 'agreement' | 'stated_clinic' | 'model';
/** Which rule set the priority: the model, the referrer's stated floor, a red-flag floor, or the conservative default. */
export type PriorityRule = 'model' | 'stated_priority' | 'red_flag' | 'conservative';

export type DecisionBasis = {
  team: {
    /** Null when no rule could decide (the case is reviewed). */
    rule: TeamRule | null;
    specialty: string;
    stated: string | null;
    model: string;
    modelConfidence: number;
    /** The model's probability for the stated clinic. */
    modelSupportForStated: number | null;
  };
  priority: { rule: PriorityRule; urgency: Urgency; model: Urgency; modelConfidence: number; stated: Urgency | null; redFlag: Urgency | null; pEmergent: number };
};

export type Decision = {
  decision: 'auto' | 'review';
  team: Team | null;
  /** The specialty the referral goes to (auto) or is suggested for (review). */
  specialty: string;
  urgency: Urgency;
  /** Model confidence when the model set the urgency; 1 when a rule asserts a floor; P(not emergent) when conservative. */
  urgencyConfidence: number;
  reasons: ReviewReason[];
  basis: DecisionBasis;
};

type TeamChoice = { specialty: string; rule: TeamRule | null; reasons: ReviewReason[]; stated: string | null; support: number | null };

function chooseTeam(input: DecisionInput, policy: RoutingPolicy): TeamChoice {
  const t = policy.thresholds;
  const model = input.specialty;
  const clinic = input.stated?.clinic;
  const stated = clinic && clinic.confidence >= t.statedClinic && policy.teams[clinic.specialty] ? clinic.specialty : null;
  if (!stated) {
    const reasons: ReviewReason[] = model.confidence >= t.specialty ? [] : ['low_specialty_confidence'];
    return { specialty: model.label, rule: reasons.length ? null : 'model', reasons, stated: null, support: null };
  }
  const support = model.label === stated ? model.confidence : (model.probabilities?.[stated] ?? 0);
  if (model.label === stated) return { specialty: stated, rule: 'agreement', reasons: [], stated, support };
  if (support >= t.clinicSupport) return { specialty: stated, rule: 'stated_clinic', reasons: [], stated, support };
  // The content points elsewhere: never sent to the named clinic unattended; the model's team is the suggestion.
  return { specialty: model.label, rule: null, reasons: ['possible_misdirected'], stated, support };
}

type PriorityChoice = { urgency: Urgency; confidence: number; rule: PriorityRule; reasons: ReviewReason[]; stated: Urgency | null };

function choosePriority(input: DecisionInput, policy: RoutingPolicy): PriorityChoice {
  const t = policy.thresholds;
  const model = input.urgency;
  const p = input.stated?.priority;
  const stated = p && p.confidence >= t.statedPriority ? p.value : null;
  const flag = input.redFlagFloor ?? null;
  // Never below what the referrer asked for or a red flag requires; the model may raise it; only a person lowers it.
  const urgency = higherUrgency(higherUrgency(model.label, stated), flag);
  const rule: PriorityRule = urgency === model.label ? 'model' : flag === urgency ? 'red_flag' : 'stated_priority';
  const confidence = rule === 'model' ? model.confidence : 1;
  const pEmergent = model.probabilities.emergent ?? 0;
  if (urgency === 'emergent') return { urgency, confidence, rule, reasons: policy.emergentAutoRoute ? [] : ['emergent_referral'], stated };
  if (pEmergent >= t.emergentReview) return { urgency, confidence, rule, reasons: ['possible_emergent'], stated };
  // Emergency is ruled out here; the remaining risk is an urgent case sent as routine on an unsure model.
  if (urgency === 'routine' && rule === 'model' && model.confidence < t.urgency) {
    if (policy.uncertainUrgency === 'conservative') return { urgency: 'urgent', confidence: 1 - pEmergent, rule: 'conservative', reasons: [], stated };
    return { urgency, confidence, rule, reasons: ['low_urgency_confidence'], stated };
  }
  return { urgency, confidence, rule, reasons: [], stated };
}

/** Pure routing rule: auto-route only when the team and the priority are both decided; otherwise list every reason. */
export function decide(input: DecisionInput, policy: RoutingPolicy): Decision {
  const team = chooseTeam(input, policy);
  const priority = choosePriority(input, policy);
  const reasons: ReviewReason[] = [];
  if (policy.paused) reasons.push('policy_paused');
  reasons.push(...priority.reasons, ...team.reasons);
  const routedTeam = policy.teams[team.specialty] ?? null;
  if (!routedTeam) reasons.push('no_team_for_specialty');
  if (input.lowConfidencePages.length > 0) reasons.push('unreadable_page');
  return {
    decision: reasons.length === 0 && routedTeam ? 'auto' : 'review',
    team: routedTeam,
    specialty: team.specialty,
    urgency: priority.urgency,
    urgencyConfidence: priority.confidence,
    reasons,
    basis: {
      team: { rule: team.rule, specialty: team.specialty, stated: team.stated, model: input.specialty.label, modelConfidence: input.specialty.confidence, modelSupportForStated: team.support },
      priority: {
        rule: priority.rule,
        urgency: priority.urgency,
        model: input.urgency.label,
        modelConfidence: input.urgency.confidence,
        stated: priority.stated,
        redFlag: input.redFlagFloor ?? null,
        pEmergent: input.urgency.probabilities.emergent ?? 0,
      },
    },
  };
}
