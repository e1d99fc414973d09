import { z } from 'zod';
import {
  box,
  CONFIRM_REASONS,
  CORRECT_REASONS,
  diagnosis,
  documentKind,
  documentStatus,
  failureReason,
  fieldEvidence,
  fieldName,
  fieldSource,
  identifier,
  referralFields,
  referredTo,
  REJECT_REASONS,
  role,
  urgency,
} from '@triage/contracts';
import { reviewEvent } from '../services/review-events.service.ts';

// What the routes answer, as JSON on the wire (dates are ISO strings). Strict objects: a test parses real answers
// with these, so a field a route adds or drops without the schema fails there, not in a client.

const iso = z.iso.datetime();
const uuid = z.uuid();
const reviewStatus = z.enum(['open', 'information_requested', 'decided']);

/** Every non-2xx answer of the API (`ApiError`): a code to branch on, a message, sometimes extra fields. */
export const apiErrorBody = z.strictObject({ error: z.looseObject({ code: z.string(), message: z.string() }) });

export const sessionInfo = z.strictObject({ principal: z.strictObject({ name: z.string(), role }), csrfToken: z.string(), expiresAt: iso });

export const taskSummary = z.strictObject({
  id: uuid,
  documentId: uuid,
  status: reviewStatus,
  reasons: z.array(z.string()),
  urgency,
  urgencyConfidence: z.number(),
  specialty: z.string(),
  specialtyConfidence: z.number(),
  team: z.string().nullable(),
  suspectedEmergent: z.boolean(),
  createdAt: iso,
  dueAt: iso,
  overdue: z.boolean(),
  /** A live lease only: an expired one is nobody's. */
  claim: z.strictObject({ by: z.string(), expiresAt: iso, mine: z.boolean() }).nullable(),
});

const reviewSla = z.strictObject({ emergent: z.number(), urgent: z.number(), routine: z.number() });
export const taskList = z.strictObject({ now: iso, sla: reviewSla, tasks: z.array(taskSummary) });

export const pageInfo = z.strictObject({
  pageNo: z.number().int(),
  source: z.string(),
  ocrConfidence: z.number().nullable(),
  rotation: z.number().nullable(),
  /** The page's span in the joined case text. */
  start: z.number().int(),
  end: z.number().int(),
  /** OCR pages: the upright image the word boxes were measured on. */
  layout: z.strictObject({ imageWidth: z.number(), imageHeight: z.number(), dpi: z.number() }).optional(),
});

export const evidence = z.strictObject({ head: z.enum(['urgency', 'specialty']), start: z.number().int(), end: z.number().int(), weight: z.number() });
export const redFlag = z.strictObject({ rule: z.string(), label: z.string().optional(), start: z.number().int(), end: z.number().int() });

/** The routing rule's reasons, as @triage/routing records them (labels and scores only). */
export const decisionBasis = z.strictObject({
  team: z.strictObject({
    rule: z.enum(['agreement', 'stated_clinic', 'model']).nullable(),
    specialty: z.string(),
    stated: z.string().nullable(),
    model: z.string(),
    modelConfidence: z.number(),
    modelSupportForStated: z.number().nullable(),
  }),
  priority: z.strictObject({
    rule: z.enum(['model', 'stated_priority', 'red_flag', 'conservative']),
    urgency,
    model: urgency,
    modelConfidence: z.number(),
    stated: urgency.nullable(),
    redFlag: urgency.nullable(),
    pEmergent: z.number(),
  }),
});

export const caseDetail = z.strictObject({
  task: taskSummary,
  document: z.strictObject({ id: uuid, kind: documentKind, receivedAt: iso, pages: z.array(pageInfo) }),
  /** Null until the fields stage has read the document. */
  fields: referralFields.nullable(),
  missing: z.array(z.string()),
  conflicts: z.array(z.string()),
  fieldsVersion: z.string().nullable(),
  fieldNames: z.array(fieldName),
  text: z.string(),
  evidence: z.array(evidence),
  redFlags: z.array(redFlag),
  /** Null for cases decided before the basis was recorded. */
  basis: decisionBasis.nullable(),
  probabilities: z.strictObject({ urgency: z.record(z.string(), z.number()), specialty: z.record(z.string(), z.number()) }),
  modelVersion: z.string().nullable(),
  policyVersion: z.string().nullable(),
  options: z.strictObject({
    urgencies: z.array(urgency),
    specialties: z.array(z.string()),
    rejectReasons: z.array(z.enum(REJECT_REASONS)),
    confirmReasons: z.array(z.enum(CONFIRM_REASONS)),
    correctReasons: z.array(z.enum(CORRECT_REASONS)),
  }),
});

export const claimResult = z.strictObject({ id: uuid, documentId: uuid, claimExpiresAt: iso, reasons: z.array(z.string()) });
export const decisionAccepted = z.strictObject({ taskId: uuid, documentId: uuid, status: z.literal('processing'), run: z.number().int() });
/** A correction answers with the whole set again, gaps recomputed. */
export const fieldsUpdate = z.strictObject({ fields: referralFields, missing: z.array(z.string()), conflicts: z.array(z.string()) });
export const informationState = z.strictObject({ id: uuid, status: reviewStatus, slaPausedMs: z.number() });

const rates = z.record(z.string(), z.number());
export const reviewStats = z.strictObject({
  noTouch: z.strictObject({ since: iso, modelDecided: z.number().int(), autoRouted: z.number().int(), rate: z.number().nullable() }),
  auditOverride: z.strictObject({ audited: z.number().int(), overridden: z.number().int(), rate: z.number().nullable() }),
  queueSize: z.number().int(),
  oldestAgeMs: z.number(),
  timeToDecisionMs: z.strictObject({ p50: z.number().nullable(), p95: z.number().nullable() }),
  overrideRate: z.strictObject({ byUrgency: rates, bySpecialty: rates, byModelVersion: rates }),
});

/** Stored spans with the words they cover added (`term`, absent when the page text does not decrypt). */
const termSpan = z.looseObject({ start: z.number().int(), end: z.number().int(), term: z.string().optional() });
const scored = z.strictObject({ label: z.string(), confidence: z.number() });
export const documentView = z.strictObject({
  id: uuid,
  status: documentStatus,
  kind: documentKind,
  source: z.string(),
  externalId: z.string().nullable(),
  receivedAt: iso,
  completedAt: iso.nullable(),
  purgedAt: iso.nullable(),
  triage: z
    .strictObject({
      urgency: scored,
      specialty: scored,
      decision: z.enum(['auto', 'review']),
      reasons: z.array(z.string()),
      team: z.string().nullable(),
      decidedBy: z.enum(['reviewer', 'model']),
      evidence: z.array(termSpan),
      redFlags: z.array(termSpan),
      basis: decisionBasis.nullable(),
      modelVersion: z.string(),
      policyVersion: z.string(),
    })
    .nullable(),
  /** Present once the fields stage has read the document. */
  fields: referralFields.optional(),
  missing: z.array(z.string()).optional(),
  fieldsVersion: z.string().optional(),
  clinicsVersion: z.string().optional(),
  error: z.strictObject({ reason: failureReason.nullable(), message: z.string().nullable() }).nullable(),
});

export const uploadAccepted = z.strictObject({ id: uuid, status: z.literal('received') });
export const uploadDuplicate = z.strictObject({ id: uuid, status: documentStatus, duplicate: z.literal(true) });

/**
 * Named schemas, emitted as `components.schemas` and referenced by name wherever they occur (so generated clients
 * get one type per shape). Contract schemas nested in them are named here too.
 */
export const RESPONSE_SCHEMAS = {
  ApiError: apiErrorBody,
  Session: sessionInfo,
  Urgency: urgency,
  TaskSummary: taskSummary,
  TaskList: taskList,
  PageInfo: pageInfo,
  Evidence: evidence,
  RedFlag: redFlag,
  DecisionBasis: decisionBasis,
  Box: box,
  FieldEvidence: fieldEvidence,
  FieldSource: fieldSource,
  Identifier: identifier,
  Diagnosis: diagnosis,
  ReferredTo: referredTo,
  FieldName: fieldName,
  ReferralFields: referralFields,
  CaseDetail: caseDetail,
  ClaimResult: claimResult,
  DecisionAccepted: decisionAccepted,
  FieldsUpdate: fieldsUpdate,
  InformationState: informationState,
  ReviewStats: reviewStats,
  DocumentView: documentView,
  UploadAccepted: uploadAccepted,
  UploadDuplicate: uploadDuplicate,
  /** The `data:` of each `task` event on /v1/review/events. */
  TaskEvent: reviewEvent,
} satisfies Record<string, z.ZodType>;
export type ResponseSchemaName = keyof typeof RESPONSE_SCHEMAS;
