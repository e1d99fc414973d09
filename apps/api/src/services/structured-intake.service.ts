import { createHash, randomUUID } from 'node:crypto';
import type { ReferralFields } from '@triage/contracts';
import { binding, openText, sealText, type Keyring } from '@triage/crypto';
import { sniffKind } from '@triage/documents';
import { acceptMessageDocument, documentsForKey, recordMessage, type Db, type DocumentRow } from '@triage/db';
import { clinicMatcher, type ClinicTable } from '@triage/fields';
import type { StageQueues } from '@triage/queue';
import { sha256Hex, type SealedBlobStore } from '@triage/storage';
import type { Logger } from 'pino';

export type StructuredIntakeDeps = {
  db: Db;
  blobs: SealedBlobStore;
  keyring: Keyring;
  queues: Pick<StageQueues, 'enqueue'>;
  log: Logger;
  clinics: ClinicTable;
};

/** One received message (HL7 v2 or FHIR), as stored: who sent it, its identity and its raw bytes. */
export type Arrival = {
  protocol: 'hl7v2' | 'fhir';
  channel: 'mllp' | 'http';
  endpoint: string;
  tokenId?: string | null;
  actor: string;
  ip?: string | null;
  sender: string;
  controlId: string;
  sha256: string;
  bytes: Buffer;
  messageId: string;
  /** The sender used this control id before for other bytes (HL7 only: MSH-10 promises uniqueness). */
  controlIdReused?: boolean;
  /** MSH-16, kept so the application response goes only to senders that asked for one. */
  appAck?: string | null;
};

/** A referral as a structured message states it; both HL7 and FHIR intake reduce to this. */
export type StructuredReferral = {
  source: 'hl7' | 'fhir';
  messageType: string;
  action: 'new' | 'modify' | 'cancel';
  /** The sender's referral id and where it was (RF1-6, ServiceRequest.identifier); the duplicate/correction key. */
  key: string | null;
  keyAt: string | null;
  /** What the key is unique within: the HL7 sender and message family, or "fhir" (identifiers carry a system). */
  keyScope: string;
  fields: ReferralFields;
  clinicCandidates: { raw: string; at: string }[];
  attachments: { data: Buffer }[];
  text: string;
  detail: Record<string, unknown>;
};

export type StructuredOutcome = { outcome: 'accepted' | 'duplicate' | 'unknown_key'; documentId?: string; messageId: string; ack: string | null };

export const referralKeyOf = (scope: string, key: string) => createHash('sha256').update(`${scope}\u0000${key}`).digest('hex');

/**
 * Commits a structured referral: the raw message, the document it becomes (its first readable attachment, else
 * its clinical text) and the fields it states, in one transaction, before the caller answers. A cancel marks the
 * referrals its key names; a second message for a known key is linked to the first (`supersedes`) and flagged
 * for a person; the same referral with the same document and fields again is a duplicate, not a new case.
 */
export async function acceptStructured(
  deps: StructuredIntakeDeps,
  a: Arrival,
  r: StructuredReferral,
  answer: { ack: string | null; ackCode: string | null },
): Promise<StructuredOutcome> {
  const referralKey = r.key ? referralKeyOf(r.keyScope, r.key) : null;
  const prior = referralKey ? await documentsForKey(deps.db, referralKey) : [];
  const flags: string[] = [];
  if (a.controlIdReused) flags.push('control_id_reused');
  const base = {
    id: a.messageId,
    protocol: a.protocol,
    channel: a.channel,
    endpoint: a.endpoint,
    sender: a.sender,
    controlId: a.controlId,
    sha256: a.sha256,
    byteSize: a.bytes.length,
    createdBy: a.tokenId ?? null,
    messageType: r.messageType,
    status: 'accepted',
    action: r.action,
    referralKey,
    ack: answer.ack,
    ackCode: answer.ackCode,
    appAck: a.appAck ?? null,
  };
  const detail = { messageId: a.messageId, channel: a.channel, protocol: a.protocol, messageType: r.messageType, ...r.detail };

  if (r.action === 'cancel') {
    if (!prior.length) return { outcome: 'unknown_key', messageId: a.messageId, ack: null };
    const { key, keyId } = await deps.blobs.put(a.bytes, binding.message(a.messageId));
    const row = await recordMessage(
      deps.db,
      { ...base, storageKey: key, storageKeyId: keyId, relatedDocumentId: prior[0]!.id, flags },
      { actor: a.actor, ip: a.ip ?? null, action: 'referral_cancelled_by_sender', detail: { ...detail, cancelled: prior.map((d) => d.id) } },
      prior.map((d) => d.id),
    );
    return { outcome: 'accepted', ack: row.ack, documentId: prior[0]!.id, messageId: row.id };
  }

  // A second message for a key already seen is a resend with changes, or an amendment: a person compares the two.
  if (prior.length) flags.push(r.action === 'modify' ? 'amended_by_sender' : 'resent_by_sender');
  const document = documentFor(r);
  const documentId = randomUUID();
  const fields = { ...r.fields, ...referredTo(r, deps.clinics) };
  const fieldsJson = JSON.stringify(fields);
  const [original, raw] = await Promise.all([deps.blobs.put(document.bytes, binding.original(documentId)), deps.blobs.put(a.bytes, binding.message(a.messageId))]);
  const source = `${r.source}:${a.sender}`;
  const result = await acceptMessageDocument(
    deps.db,
    {
      message: { ...base, storageKey: raw.key, storageKeyId: raw.keyId, relatedDocumentId: prior[0]?.id ?? null, flags },
      document: {
        id: documentId,
        source,
        externalId: r.key ? sealText(deps.keyring, r.key, binding.externalId(documentId)) : null,
        idempotencyKey: null,
        sha256: sha256Hex(document.bytes),
        kind: document.kind,
        byteSize: document.bytes.length,
        storageKey: original.key,
        storageKeyId: original.keyId,
        createdBy: a.tokenId ?? null,
        intakeFields: sealText(deps.keyring, fieldsJson, binding.intakeFields(documentId)),
        intakeFlags: flags,
        supersedes: prior[0]?.id ?? null,
      },
      fallbackSource: `${source}#${a.messageId}`,
      // The same document again is one case only when it is the same referral (same key) with the same fields:
      // a resend. Anything else that differs (a reused control id, a corrected name) is a new case to compare.
      reuse: (existing: DocumentRow) => prior.some((p) => p.id === existing.id) && sameFields(deps.keyring, existing, fieldsJson),
    },
    { actor: a.actor, ip: a.ip ?? null, detail: { ...detail, action: r.action, flags, attachments: r.attachments.length } },
  );
  if (result.document.id !== documentId) await deps.blobs.remove(original.key);
  if (result.raced) await deps.blobs.remove(raw.key);
  if (result.created) {
    // Not awaited: the ACK depends on the commit only; a lost enqueue is the reconciler's to redo.
    void deps.queues.enqueue('extract', { documentId: result.document.id, run: result.document.run }).catch((e: Error) => {
      deps.log.warn({ documentId: result.document.id, err: { message: e.message } }, 'enqueue failed; the reconciler will retry');
    });
  }
  return { outcome: result.raced || !result.created ? 'duplicate' : 'accepted', ack: result.message.ack, documentId: result.document.id, messageId: result.message.id };
}

/** The first attachment that is a document the pipeline reads; otherwise the message's clinical text. */
function documentFor(r: StructuredReferral): { bytes: Buffer; kind: NonNullable<ReturnType<typeof sniffKind>> } {
  for (const a of r.attachments) {
    const kind = sniffKind(a.data);
    if (kind && kind !== 'text') return { bytes: a.data, kind };
  }
  return { bytes: Buffer.from(`${r.text}\n`, 'utf8'), kind: 'text' };
}

function sameFields(keyring: Keyring, existing: DocumentRow, fieldsJson: string): boolean {
  if (!existing.intakeFields) return false;
  try {
    return openText(keyring, existing.intakeFields, binding.intakeFields(existing.id)) === fieldsJson;
  } catch {
    return false;
  }
}

/** The first clinic the message names that the policy's synonym table maps; else the first named, unmapped. */
function referredTo(r: StructuredReferral, clinics: ClinicTable): ReferralFields {
  if (!r.clinicCandidates.length) return {};
  const matcher = clinicMatcher(clinics);
  const mapped = r.clinicCandidates.map((c) => ({ ...c, specialty: matcher.best(c.raw)?.specialty ?? null }));
  const pick = mapped.find((c) => c.specialty) ?? mapped[0]!;
  return {
    referredTo: { value: { raw: pick.raw, specialty: pick.specialty }, confidence: pick.specialty ? 0.95 : 0.5, evidence: [], source: r.source, at: pick.at },
  };
}
