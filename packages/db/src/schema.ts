import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export type PageLayout = {
  imageWidth: number;
  imageHeight: number;
  dpi: number;
  words: { start: number; end: number; box: { x0: number; y0: number; x1: number; y1: number }; confidence?: number }[];
};

export const documentStatusEnum = pgEnum('document_status', [
  'received',
  'processing',
  'needs_review',
  'routed',
  'failed',
  'rejected',
]);
export const documentKindEnum = pgEnum('document_kind', ['pdf', 'png', 'jpeg', 'tiff', 'text']);
export const roleEnum = pgEnum('role', ['intake', 'reviewer', 'admin', 'auditor']);

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const tokens = pgTable('tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  role: roleEnum('role').notNull(),
  /** sha256 of the token; the token itself is never stored. */
  hash: text('hash').notNull().unique(),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at'),
  revokedAt: ts('revoked_at'),
});

/** The ledger: Postgres, not Redis, says where each document is. */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    /** Sealed text (`tc1:…`, bound to this row): a sender's reference can identify the patient. */
    externalId: text('external_id'),
    idempotencyKey: text('idempotency_key'),
    sha256: text('sha256').notNull(),
    kind: documentKindEnum('kind').notNull(),
    byteSize: integer('byte_size').notNull(),
    storageKey: text('storage_key').notNull(),
    /** Key id the original is sealed under (AES-256-GCM, bound to this row); null: a legacy plaintext original. */
    storageKeyId: text('storage_key_id'),
    status: documentStatusEnum('status').notNull().default('received'),
    /** The stage the document is in (or last was in), for the reconciler and operators. */
    stage: text('stage').notNull().default('extract'),
    /** Pipeline pass: bumped by replay and by a review decision. */
    run: integer('run').notNull().default(1),
    failureReason: text('failure_reason'),
    failureMessage: text('failure_message'),
    createdBy: uuid('created_by').references(() => tokens.id),
    receivedAt: ts('received_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    completedAt: ts('completed_at'),
    /** Retention: original, page text and evidence purged; the row, decision record and audit stay. */
    purgedAt: ts('purged_at'),
    /**
     * Fields a structured message gave (HL7 PID/PRD/RF1, FHIR ServiceRequest), sealed like page text (bound to
     * this row); the fields stage lays them over what it reads from the text.
     */
    intakeFields: text('intake_fields'),
    /** What intake saw that a person must look at (`control_id_reused`, `amended_by_sender`): forces review. */
    intakeFlags: text('intake_flags').array().notNull().default(sql`'{}'::text[]`),
    /** The referral this one amends or corrects (a resend with changes from the same sender). */
    supersedes: uuid('supersedes'),
    /** The sender cancelled the referral (REF^I14, ORC-1 CA, ServiceRequest revoked). */
    cancelledAt: ts('cancelled_at'),
  },
  (t) => [
    uniqueIndex('documents_source_sha_uq').on(t.source, t.sha256).where(sql`${t.purgedAt} is null`),
    uniqueIndex('documents_idem_uq').on(t.createdBy, t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    index('documents_status_idx').on(t.status, t.updatedAt),
    index('documents_retention_idx').on(t.completedAt).where(sql`${t.purgedAt} is null`),
  ],
);

/** One row per (document, stage, run) once that stage's output is committed: the idempotency key of stages. */
export const stageRuns = pgTable(
  'stage_runs',
  {
    documentId: uuid('document_id').notNull().references(() => documents.id),
    stage: text('stage').notNull(),
    run: integer('run').notNull(),
    outcome: jsonb('outcome').notNull(),
    outputDigest: text('output_digest'),
    completedAt: ts('completed_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('stage_runs_uq').on(t.documentId, t.stage, t.run)],
);

/** Provenance: every attempt of every stage, never updated after it ends, never deleted. */
export const stageAttempts = pgTable(
  'stage_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    documentId: uuid('document_id').notNull().references(() => documents.id),
    stage: text('stage').notNull(),
    run: integer('run').notNull(),
    jobId: text('job_id').notNull(),
    attempt: integer('attempt').notNull(),
    worker: text('worker').notNull(),
    startedAt: ts('started_at').notNull().defaultNow(),
    endedAt: ts('ended_at'),
    /** running | succeeded | skipped | retry | failed */
    outcome: text('outcome').notNull().default('running'),
    errorClass: text('error_class'),
    errorMessage: text('error_message'),
    inputDigest: text('input_digest'),
    outputDigest: text('output_digest'),
    codeVersion: text('code_version').notNull(),
    modelVersion: text('model_version'),
    policyVersion: text('policy_version'),
    detail: jsonb('detail'),
  },
  (t) => [index('stage_attempts_doc_idx').on(t.documentId, t.id)],
);

export const pages = pgTable(
  'pages',
  {
    documentId: uuid('document_id').notNull().references(() => documents.id),
    pageNo: integer('page_no').notNull(),
    /** text-layer | plain | ocr | needs-ocr */
    source: text('source').notNull(),
    /** Sealed (`tc1:<key id>:…`, bound to document and page); read and written through getPages/upsertPages. */
    text: text('text').notNull(),
    ocrConfidence: real('ocr_confidence'),
    rotation: integer('rotation'),
    ocrEngine: text('ocr_engine'),
    /** OCR word positions (offsets into the text and boxes on the upright image; no words): layout, not content. */
    layout: jsonb('layout').$type<PageLayout>(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    /** Set when retention blanked the text. */
    purgedAt: ts('purged_at'),
  },
  (t) => [uniqueIndex('pages_uq').on(t.documentId, t.pageNo)],
);

export const classifications = pgTable(
  'classifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id').notNull().references(() => documents.id),
    run: integer('run').notNull(),
    urgency: text('urgency').notNull(),
    urgencyConfidence: real('urgency_confidence').notNull(),
    specialty: text('specialty').notNull(),
    specialtyConfidence: real('specialty_confidence').notNull(),
    probabilities: jsonb('probabilities').notNull(),
    /** Offsets and weights only ({head, start, end, weight}): the words themselves are read from the sealed text. */
    evidence: jsonb('evidence').notNull(),
    modelVersion: text('model_version').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('classifications_uq').on(t.documentId, t.run)],
);

/** What the fields stage read, per pass: values sealed (they are PHI); field names in the clear for queries. */
export const referralFieldSets = pgTable(
  'referral_fields',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id').notNull().references(() => documents.id),
    run: integer('run').notNull(),
    /** Sealed JSON of ReferralFields (`tc1:…`, bound to the document and run). */
    fields: text('fields').notNull(),
    found: jsonb('found').$type<string[]>().notNull(),
    missing: jsonb('missing').$type<string[]>().notNull(),
    conflicts: jsonb('conflicts').$type<string[]>().notNull(),
    fieldsVersion: text('fields_version').notNull(),
    clinicsVersion: text('clinics_version').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    purgedAt: ts('purged_at'),
  },
  (t) => [uniqueIndex('referral_fields_uq').on(t.documentId, t.run)],
);

/** The decision for a document: one row per document, updated when a reviewer decides. */
export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id').notNull().references(() => documents.id),
    /** auto | review | reviewed */
    decision: text('decision').notNull(),
    /** pending_review | routed | rejected */
    state: text('state').notNull(),
    urgency: text('urgency').notNull(),
    urgencyConfidence: real('urgency_confidence').notNull(),
    specialty: text('specialty').notNull(),
    specialtyConfidence: real('specialty_confidence').notNull(),
    team: text('team'),
    teamEmail: text('team_email'),
    reasons: jsonb('reasons').$type<string[]>().notNull(),
    /** Red-flag rule hits with their offsets in the extracted text (no matched words: those are document content). */
    redFlags: jsonb('red_flags').$type<unknown[]>().notNull().default([]),
    /** Which rule decided the team and the priority, with the scores it saw (DecisionBasis; labels only). */
    basis: jsonb('basis').$type<Record<string, unknown>>(),
    modelVersion: text('model_version').notNull(),
    policyVersion: text('policy_version').notNull(),
    decidedBy: text('decided_by').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('referrals_document_uq').on(t.documentId)],
);

export const reviewTasks = pgTable(
  'review_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    documentId: uuid('document_id').notNull().references(() => documents.id),
    referralId: uuid('referral_id').notNull().references(() => referrals.id),
    /** open | information_requested (waiting on the referrer; the SLA clock stands still) | decided */
    status: text('status').notNull().default('open'),
    reasons: jsonb('reasons').$type<string[]>().notNull(),
    claimedBy: uuid('claimed_by').references(() => tokens.id),
    claimExpiresAt: ts('claim_expires_at'),
    decision: jsonb('decision'),
    decidedBy: uuid('decided_by').references(() => tokens.id),
    decidedAt: ts('decided_at'),
    /** What the reviewer was shown, kept at decision time: persist then overwrites the referral. */
    predictedUrgency: text('predicted_urgency'),
    predictedSpecialty: text('predicted_specialty'),
    modelVersion: text('model_version'),
    createdAt: ts('created_at').notNull().defaultNow(),
    slaPausedAt: ts('sla_paused_at'),
    slaPausedMs: bigint('sla_paused_ms', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    uniqueIndex('review_tasks_open_uq').on(t.documentId).where(sql`${t.status} in ('open', 'information_requested')`),
    index('review_tasks_status_idx').on(t.status, t.createdAt),
    index('review_tasks_decided_idx').on(t.decidedAt),
  ],
);

/** Browser sessions exchanged for a bearer token; only the hash of the cookie value is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    hash: text('hash').notNull().unique(),
    tokenId: uuid('token_id').notNull().references(() => tokens.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
    endedAt: ts('ended_at'),
  },
  (t) => [index('sessions_token_idx').on(t.tokenId)],
);

/** Email outbox: the row is written with the routing decision; a sender delivers it at most once. */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    referralId: uuid('referral_id').notNull().references(() => referrals.id),
    documentId: uuid('document_id').notNull().references(() => documents.id),
    recipient: text('recipient').notNull(),
    kind: text('kind').notNull(),
    /** pending | sending | sent | unknown | failed */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    messageId: text('message_id'),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    sendingAt: ts('sending_at'),
    sentAt: ts('sent_at'),
  },
  (t) => [uniqueIndex('outbox_uq').on(t.referralId, t.recipient, t.kind)],
);

/**
 * Append-only, hash-chained audit trail. Migration 0002 adds a trigger that refuses UPDATE, DELETE and
 * TRUNCATE even to the owner, and revokes those rights from PUBLIC (see grantAppRole).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    documentId: uuid('document_id'),
    ip: text('ip'),
    detail: jsonb('detail'),
    allowed: boolean('allowed').notNull().default(true),
    /** The chain before audit-seq (migration 0007) lived here; it now lives in audit_chain (null for new events). */
    prevHash: text('prev_hash'),
    hash: text('hash'),
  },
  (t) => [index('audit_events_doc_idx').on(t.documentId)],
);

/**
 * The hash chain over audit_events, in the order the sequencer took them: gap-free `seq`, each hash covering its
 * event's content and the previous hash. Writers never touch it (no global lock on the write path); append-only.
 */
export const auditChain = pgTable('audit_chain', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  eventId: bigint('event_id', { mode: 'number' }).notNull().unique().references(() => auditEvents.id),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  sequencedAt: ts('sequenced_at').notNull().defaultNow(),
});

/** Events written but not yet in the chain: the sequencer's work list (rows leave it as they are chained). */
export const auditPending = pgTable('audit_pending', {
  eventId: bigint('event_id', { mode: 'number' }).primaryKey().references(() => auditEvents.id),
  at: ts('at').notNull().defaultNow(),
});

/**
 * Every HL7 v2 / FHIR message received, accepted or not: the raw bytes sealed in the blob store, the ACK sent, and
 * the document it became. (sender, control id, sha256) is unique, so a resend after a lost ACK gets the stored ACK.
 */
export const interfaceMessages = pgTable(
  'interface_messages',
  {
    id: uuid('id').primaryKey(),
    /** hl7v2 | fhir */
    protocol: text('protocol').notNull(),
    /** mllp | http */
    channel: text('channel').notNull(),
    /** The listener or token it came through. */
    endpoint: text('endpoint').notNull(),
    /** MSH-3^MSH-4 (namespace ids only) or the FHIR client's token name. */
    sender: text('sender').notNull(),
    /** MSH-10 (empty when unreadable). */
    controlId: text('control_id').notNull(),
    messageType: text('message_type'),
    sha256: text('sha256').notNull(),
    byteSize: integer('byte_size').notNull(),
    storageKey: text('storage_key').notNull(),
    storageKeyId: text('storage_key_id'),
    /** accepted | error | rejected */
    status: text('status').notNull(),
    /** new | modify | cancel */
    action: text('action'),
    errorCode: integer('error_code'),
    /** The reason sent back (names a field, never quotes a value). */
    errorText: text('error_text'),
    ackCode: text('ack_code'),
    /** The ACK as sent: MSH/MSA/ERR only, ids and codes, no patient data. */
    ack: text('ack'),
    /** sha256 of sender, family and the sender's referral key (RF1-6, ORC-2, TXA-12, ServiceRequest.identifier). */
    referralKey: text('referral_key'),
    documentId: uuid('document_id').references(() => documents.id),
    /** For modify / cancel: the referral the message changes. */
    relatedDocumentId: uuid('related_document_id').references(() => documents.id),
    flags: text('flags').array().notNull().default(sql`'{}'::text[]`),
    /** MSH-16: whether the sender wants an application response (AL, SU, ER, NE) once the referral is triaged. */
    appAck: text('app_ack'),
    createdBy: uuid('created_by').references(() => tokens.id),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    index('interface_messages_doc_idx').on(t.documentId),
    uniqueIndex('interface_messages_uq').on(t.sender, t.controlId, t.sha256),
    index('interface_messages_key_idx').on(t.referralKey, t.receivedAt),
    index('interface_messages_status_idx').on(t.status, t.receivedAt),
  ],
);

/**
 * The pause switch: while a row exists for `*` (all) or a team, every new decision for it goes to review with
 * `policy_paused`. Set by an operator (`triage policy pause`) or by the circuit breaker; resumed by deleting it.
 */
export const routingPauses = pgTable('routing_pauses', {
  scope: text('scope').primaryKey(),
  reason: text('reason').notNull(),
  /** operator | circuit_breaker */
  source: text('source').notNull(),
  pausedBy: text('paused_by').notNull(),
  pausedAt: ts('paused_at').notNull().defaultNow(),
});
