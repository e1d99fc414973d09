import { joinPageTexts, reviewDecision, storedFields, type Urgency } from '@triage/contracts';
import {
  appendAudit,
  isAuditSample,
  createReviewTask,
  enqueueEmail,
  getPages,
  getReferralByDocument,
  hl7MessageForDocument,
  latestClassification,
  latestDecidedTask,
  latestFieldSet,
  listPauses,
  pausedFor,
  updateReferral,
  upsertReferral,
  type Db,
  type DocumentRow,
  type ReferralRow,
  type Tx,
} from '@triage/db';
import type { Keyring } from '@triage/crypto';
import { wantsApplicationResponse } from '@triage/hl7';
import { decideWithRedFlags, informationGaps, statedReferral, type RedFlagRules, type RoutingPolicy } from '@triage/routing';
import { PermanentError } from '../../errors.ts';
import type { HandlerResult, StageHandler } from '../../stage-handler.ts';

export type PersistDeps = {
  db: Db;
  policy: RoutingPolicy;
  redFlags: RedFlagRules | null;
  ocrMinConfidence: number;
  keyring: Keyring;
  /** HL7 senders' application-response endpoints (`APP^FAC` or `APP` → `host:port`); empty: none. */
  hl7Responses?: Record<string, string>;
};

export const HL7_RESPONSE_KIND = 'hl7_application_response';

/**
 * A referral that came as an HL7 message whose sender asked for an application response (MSH-16) gets one in the
 * same outbox as the team's email: written in the decision's transaction, delivered exactly once by notify.
 */
async function enqueueHl7Response(tx: Tx, deps: PersistDeps, doc: DocumentRow, referralId: string): Promise<void> {
  if (!deps.hl7Responses || !doc.source.startsWith('hl7:')) return;
  const m = await hl7MessageForDocument(tx, doc.id);
  if (!m || !wantsApplicationResponse(m.appAck, true)) return;
  const route = deps.hl7Responses[m.sender] ?? deps.hl7Responses[m.sender.split('^')[0]!];
  if (!route) return;
  await enqueueEmail(tx, { referralId, documentId: doc.id, recipient: `mllp://${route}`, kind: HL7_RESPONSE_KIND });
}

export const ROUTED_EMAIL_KIND = 'referral_routed';

/**
 * Writes the decision. The model's decision on a first pass; a reviewer's decision on the pass a
 * review starts. The outbox row is written in the same transaction as the decision it announces.
 */
export function createPersistHandler(deps: PersistDeps): StageHandler<'persist'> {
  return async (_ctx, doc) => {
    const referral = await getReferralByDocument(deps.db, doc.id);
    if (referral?.state === 'pending_review') {
      const task = await latestDecidedTask(deps.db, doc.id);
      if (task) return applyReview(deps, doc, referral, task.decision, task.decidedBy ?? 'unknown');
    }
    if (referral?.state === 'routed' && referral.decidedBy === 'model') {
      // An audit sample's verdict on a case the model routed; a replay never undoes it (decidedBy changes below).
      const task = await latestDecidedTask(deps.db, doc.id);
      if (task && isAuditSample(task)) return applyAudit(deps, doc, referral, task.decision, task.decidedBy ?? 'unknown');
    }
    if (referral && referral.decidedBy.startsWith('reviewer:')) return keepHumanDecision(deps, referral);
    return applyModel(deps, doc);
  };
}

async function applyModel(deps: PersistDeps, doc: DocumentRow): Promise<HandlerResult<'persist'>> {
  const [c, pages, fieldSet, pauses] = await Promise.all([
    latestClassification(deps.db, doc.id),
    getPages(deps.db, doc.id, deps.keyring),
    latestFieldSet(deps.db, doc.id, deps.keyring),
    listPauses(deps.db),
  ]);
  if (!c) throw new Error('no classification found for document');
  const lowConfidencePages = pages
    .filter((p) => p.source === 'ocr' && (p.ocrConfidence ?? 0) < deps.ocrMinConfidence)
    .map((p) => p.pageNo);
  const probs = c.probabilities as { urgency: Partial<Record<Urgency, number>>; specialty?: Partial<Record<string, number>> };
  const fields = storedFields(fieldSet?.fields);
  // Red-flag rules read the same text the model did; they, and the referrer's stated priority, can only raise urgency.
  const routed = decideWithRedFlags(
    joinPageTexts(pages.map((p) => p.text)),
    {
      urgency: { label: c.urgency as Urgency, confidence: c.urgencyConfidence, probabilities: probs.urgency },
      specialty: { label: c.specialty, confidence: c.specialtyConfidence, probabilities: probs.specialty ?? {} },
    },
    deps.policy,
    deps.redFlags,
    lowConfidencePages,
    statedReferral(fields),
  );
  const team = deps.policy.teams[routed.specialty] ?? null;
  const specialtyConfidence = routed.specialty === c.specialty ? c.specialtyConfidence : (probs.specialty?.[routed.specialty] ?? 0);
  const gaps = informationGaps(deps.policy, fields, team?.team ?? null);
  // What intake saw (a reused control id, an amendment, a cancel) is for a person, whatever the scores say.
  const intake = [...doc.intakeFlags.map((f) => `intake:${f}`), ...(doc.cancelledAt ? ['cancelled_by_sender'] : [])];
  // The pause switch (an operator, or the circuit breaker) holds every new decision for its scope.
  if (pausedFor(pauses, team?.team ?? null) && !routed.reasons.includes('policy_paused')) intake.unshift('policy_paused');
  const decision = routed.decision === 'auto' && team && gaps.reasons.length === 0 && intake.length === 0 ? 'auto' : 'review';
  const reasons = [...routed.reasons, ...new Set(routed.redFlags.hits.map((h) => `red_flag:${h.ruleId}`)), ...gaps.reasons, ...intake];
  const policyVersion = deps.redFlags ? `${deps.policy.version}+${deps.redFlags.version}` : deps.policy.version;
  const basis = routed.basis;
  return {
    outcome: { type: decision, referralId: null },
    policyVersion,
    modelVersion: c.modelVersion,
    detail: { reasons, team: team?.team ?? null, raisedBy: routed.raisedBy, basis },
    commit: async (tx) => {
      const referral = await upsertReferral(tx, {
        documentId: doc.id,
        decision,
        state: decision === 'auto' ? 'routed' : 'pending_review',
        urgency: routed.urgency,
        urgencyConfidence: routed.urgencyConfidence,
        specialty: routed.specialty,
        specialtyConfidence,
        team: team?.team ?? null,
        teamEmail: team?.email ?? null,
        reasons,
        // Offsets only: the matched words are document content, read back from the sealed text.
        redFlags: routed.redFlags.hits.map(({ ruleId, action, start, end }) => ({ ruleId, action, start, end })),
        basis,
        modelVersion: c.modelVersion,
        policyVersion,
        decidedBy: 'model',
      });
      if (decision === 'auto' && team) {
        await enqueueEmail(tx, { referralId: referral.id, documentId: doc.id, recipient: team.email, kind: ROUTED_EMAIL_KIND });
        await enqueueHl7Response(tx, deps, doc, referral.id);
      } else {
        // Missing information waits on the referrer (SLA clock stopped), unless a person must look now anyway.
        const waitOnReferrer = gaps.missing.length > 0 && routed.urgency !== 'emergent' && !reasons.includes('possible_emergent');
        await createReviewTask(tx, { documentId: doc.id, referralId: referral.id, reasons, informationRequested: waitOnReferrer });
      }
      // Every decision is on the audit trail with the versions that made it (labels and ids only).
      await appendAudit(tx, {
        actor: 'system:model',
        action: 'model_decided',
        documentId: doc.id,
        detail: { run: doc.run, decision, urgency: routed.urgency, specialty: routed.specialty, reasons, basis, modelVersion: c.modelVersion, policyVersion },
      });
    },
  };
}

async function applyReview(
  deps: PersistDeps,
  doc: DocumentRow,
  referral: ReferralRow,
  rawDecision: unknown,
  reviewer: string,
): Promise<HandlerResult<'persist'>> {
  const { decision, decidedBy, audited } = reviewerVerdict(deps, doc, referral, rawDecision, reviewer, 'review_applied');
  const base = { outcome: { type: 'auto' as const, referralId: referral.id }, policyVersion: deps.policy.version, detail: { review: decision.action } };
  if (decision.action === 'reject') {
    return {
      ...base,
      outcome: { type: 'rejected', referralId: referral.id },
      commit: async (tx) => {
        await updateReferral(tx, referral.id, { decision: 'reviewed', state: 'rejected', decidedBy, reasons: [...referral.reasons, `rejected:${decision.reason}`] });
        await audited(tx, { state: 'rejected' });
      },
    };
  }
  const urgency = decision.action === 'correct' ? decision.urgency : referral.urgency;
  const specialty = decision.action === 'correct' ? decision.specialty : referral.specialty;
  const team = deps.policy.teams[specialty];
  if (!team) throw new PermanentError('internal', 'reviewed specialty has no team in the routing policy');
  return {
    ...base,
    commit: async (tx) => {
      await updateReferral(tx, referral.id, {
        decision: 'reviewed',
        state: 'routed',
        urgency,
        specialty,
        team: team.team,
        teamEmail: team.email,
        decidedBy,
        policyVersion: deps.policy.version,
      });
      await enqueueEmail(tx, { referralId: referral.id, documentId: doc.id, recipient: team.email, kind: ROUTED_EMAIL_KIND });
      await enqueueHl7Response(tx, deps, doc, referral.id);
      await audited(tx, { state: 'routed', urgency, specialty });
    },
  };
}

/** A reviewer's stored decision, parsed, and how applying it goes on the audit trail (labels and versions only). */
function reviewerVerdict(deps: PersistDeps, doc: DocumentRow, referral: ReferralRow, rawDecision: unknown, reviewer: string, action: string) {
  // The sealed note is free text persist never needs.
  const { note: _note, ...rest } = (rawDecision ?? {}) as Record<string, unknown>;
  const decision = reviewDecision.parse(rest);
  const audited = (tx: Tx, applied: Record<string, unknown>) =>
    appendAudit(tx, {
      actor: `token:${reviewer}`,
      action,
      documentId: doc.id,
      detail: { run: doc.run, action: decision.action, reason: decision.reason ?? null, ...applied, modelVersion: referral.modelVersion, policyVersion: deps.policy.version },
    });
  return { decision, decidedBy: `reviewer:${reviewer}`, audited };
}

export const CORRECTED_EMAIL_KIND = 'referral_corrected';

/**
 * A second look at an auto-routed referral. Confirm: recorded, nothing sent. Correct: the referral goes to the
 * corrected team with a correction email (the first email cannot be unsent). Reject: the referral ends rejected.
 */
async function applyAudit(deps: PersistDeps, doc: DocumentRow, referral: ReferralRow, rawDecision: unknown, reviewer: string): Promise<HandlerResult<'persist'>> {
  const { decision, decidedBy, audited } = reviewerVerdict(deps, doc, referral, rawDecision, reviewer, 'audit_sample_applied');
  const base = { outcome: { type: 'auto' as const, referralId: referral.id }, policyVersion: deps.policy.version, detail: { audit: decision.action } };
  if (decision.action === 'confirm') {
    return { ...base, commit: async (tx) => {
      await updateReferral(tx, referral.id, { decidedBy, reasons: [...referral.reasons, 'audit:confirmed'] });
      await audited(tx, { overridden: false });
    } };
  }
  if (decision.action === 'reject') {
    return { ...base, outcome: { type: 'rejected', referralId: referral.id }, commit: async (tx) => {
      await updateReferral(tx, referral.id, { state: 'rejected', decidedBy, reasons: [...referral.reasons, `rejected:${decision.reason}`] });
      await audited(tx, { overridden: true, state: 'rejected' });
    } };
  }
  const team = deps.policy.teams[decision.specialty];
  if (!team) throw new PermanentError('internal', 'audited specialty has no team in the routing policy');
  return { ...base, commit: async (tx) => {
    // decision stays 'auto' (how it was first decided, for the no-touch rate); decidedBy names the reviewer.
    await updateReferral(tx, referral.id, { urgency: decision.urgency, specialty: decision.specialty, team: team.team, teamEmail: team.email, decidedBy, reasons: [...referral.reasons, 'audit:corrected'], policyVersion: deps.policy.version });
    await enqueueEmail(tx, { referralId: referral.id, documentId: doc.id, recipient: team.email, kind: CORRECTED_EMAIL_KIND });
    await audited(tx, { overridden: true, urgency: decision.urgency, specialty: decision.specialty, from: { urgency: referral.urgency, specialty: referral.specialty } });
  } };
}

/** A replay never overrides a person's decision with the model's. */
async function keepHumanDecision(deps: PersistDeps, referral: ReferralRow): Promise<HandlerResult<'persist'>> {
  const type = referral.state === 'rejected' ? 'rejected' : 'auto';
  return { outcome: { type, referralId: referral.id }, policyVersion: deps.policy.version, detail: { kept: referral.decidedBy } };
}
