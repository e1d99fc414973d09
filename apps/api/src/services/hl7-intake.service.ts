import { createHash, randomUUID } from 'node:crypto';
import { binding, openText, sealText, type Keyring } from '@triage/crypto';
import { sniffKind } from '@triage/documents';
import { acceptMessageDocument, controlIdReused, documentsForKey, findMessage, recordMessage, type Db, type DocumentRow } from '@triage/db';
import { clinicMatcher, type ClinicTable } from '@triage/fields';
import {
  ackCode,
  ackHeader,
  buildAck,
  decodeMessage,
  Hl7ParseError,
  Hl7RejectError,
  interpretMessage,
  parseMessage,
  type AckError,
  type AckHeader,
  type Encoding,
  type Hl7Referral,
} from '@triage/hl7';
import type { StageQueues } from '@triage/queue';
import { sha256Hex, type SealedBlobStore } from '@triage/storage';
import type { Logger } from 'pino';

export type Hl7IntakeDeps = {
  db: Db;
  blobs: SealedBlobStore;
  keyring: Keyring;
  queues: Pick<StageQueues, 'enqueue'>;
  log: Logger;
  clinics: ClinicTable;
};

/** Where a message came in: the listener or token, and the encoding its sender uses when MSH-18 is silent. */
export type Hl7Endpoint = { channel: 'mllp' | 'http'; endpoint: string; defaultEncoding: Encoding; tokenId?: string | null; actor: string; ip?: string | null };

export type Hl7Result = {
  ack: string;
  /** accepted | duplicate | error | rejected | unavailable */
  status: 'accepted' | 'duplicate' | 'error' | 'rejected' | 'unavailable';
  documentId?: string | undefined;
  messageId?: string | undefined;
};

/**
 * One HL7 v2 message in, one ACK out. The ACK is built only after the raw message, its sha256 and the document
 * row are committed, so an AA always means "stored"; when the database cannot be reached the answer is AR/CR
 * (send again later) and nothing is promised. Never throws: a listener always has an answer to write.
 */
export async function receiveHl7(deps: Hl7IntakeDeps, at: Hl7Endpoint, bytes: Buffer): Promise<Hl7Result> {
  const header = ackHeader(bytes.subarray(0, 8192).toString('latin1'));
  try {
    return await receive(deps, at, bytes, header);
  } catch (e) {
    deps.log.error({ err: { name: (e as Error).name, code: (e as { code?: string }).code }, endpoint: at.endpoint, bytes: bytes.length }, 'hl7 message not stored; answered AR');
    return { status: 'unavailable', ack: buildAck(header, 'reject', { error: { code: 207, text: 'the receiver could not store the message: send it again later' } }) };
  }
}

/** An oversize frame: refused with AR and not stored (only its size is known to be safe to keep). */
export function tooLargeAck(head: Buffer, bytes: number, maxBytes: number): string {
  return buildAck(ackHeader(head.toString('latin1')), 'reject', { error: { code: 207, text: `message of ${bytes} bytes is over the ${maxBytes}-byte limit` } });
}

async function receive(deps: Hl7IntakeDeps, at: Hl7Endpoint, bytes: Buffer, rawHeader: AckHeader): Promise<Hl7Result> {
  const sha256 = sha256Hex(bytes);
  const decoded = decodeMessage(bytes, at.defaultEncoding);
  const header = ackHeader(decoded.text);
  const sender = `${first(header.sendingApplication, header)}^${first(header.sendingFacility, header)}`;
  const identity = { sender, controlId: header.controlId, sha256 };
  const stored = await findMessage(deps.db, identity);
  if (stored?.ack) {
    // A resend after a lost ACK: the same answer again, nothing new created.
    return { status: 'duplicate', ack: stored.ack, documentId: stored.documentId ?? undefined, messageId: stored.id };
  }
  const messageId = randomUUID();
  const base = {
    id: messageId,
    protocol: 'hl7v2',
    channel: at.channel,
    endpoint: at.endpoint,
    ...identity,
    byteSize: bytes.length,
    createdBy: at.tokenId ?? null,
  };
  const refuse = async (outcome: 'error' | 'reject', error: AckError, messageType: string | null) => {
    const h = header.controlId ? header : rawHeader;
    const ack = buildAck(h, outcome, { error });
    const { key, keyId } = await deps.blobs.put(bytes, binding.message(messageId));
    const row = await recordMessage(
      deps.db,
      { ...base, messageType, storageKey: key, storageKeyId: keyId, status: outcome === 'error' ? 'error' : 'rejected', errorCode: error.code, errorText: error.text, ackCode: ackCode(outcome, h.enhanced), ack },
      { actor: at.actor, ip: at.ip ?? null, action: 'hl7_refused', detail: { messageId, code: error.code, location: error.location ?? null, sender, channel: at.channel } },
    );
    return { status: row.status as 'error' | 'rejected', ack: row.ack!, messageId: row.id };
  };

  let referral: Hl7Referral;
  try {
    referral = interpretMessage(parseMessage(decoded.text));
  } catch (e) {
    if (e instanceof Hl7ParseError) return refuse('error', { code: e.code, text: e.message, location: e.location }, null);
    if (e instanceof Hl7RejectError) return refuse(e.outcome, { code: e.code, text: e.message, location: e.location }, typeOf(decoded.text));
    throw e;
  }

  const referralKey = referral.key ? createHash('sha256').update(`${sender}\u0000${referral.family}\u0000${referral.key}`).digest('hex') : null;
  const prior = referralKey ? await documentsForKey(deps.db, referralKey) : [];
  const flags: string[] = [];
  if (await controlIdReused(deps.db, identity)) flags.push('control_id_reused');

  if (referral.action === 'cancel') {
    if (!prior.length) {
      return refuse('error', { code: 204, text: `no referral with this ${referral.keyAt ?? 'key'} to cancel`, location: referral.keyAt ?? undefined }, referral.messageType);
    }
    const ack = buildAck(header, 'accept');
    const { key, keyId } = await deps.blobs.put(bytes, binding.message(messageId));
    const row = await recordMessage(
      deps.db,
      { ...base, messageType: referral.messageType, storageKey: key, storageKeyId: keyId, status: 'accepted', action: 'cancel', referralKey, relatedDocumentId: prior[0]!.id, flags, ackCode: ackCode('accept', header.enhanced), ack },
      { actor: at.actor, ip: at.ip ?? null, action: 'referral_cancelled_by_sender', detail: { messageId, cancelled: prior.map((d) => d.id), sender, channel: at.channel } },
    );
    return { status: 'accepted', ack: row.ack!, documentId: prior[0]!.id, messageId: row.id };
  }

  // A second "new" for a key already seen is a resend with changes; either way a person compares the two.
  if (prior.length) flags.push(referral.action === 'modify' ? 'amended_by_sender' : 'resent_by_sender');
  const document = documentFor(referral);
  const documentId = randomUUID();
  const fields = { ...referral.fields, ...referredTo(referral, deps.clinics) };
  const fieldsJson = JSON.stringify(fields);
  const [original, raw] = await Promise.all([deps.blobs.put(document.bytes, binding.original(documentId)), deps.blobs.put(bytes, binding.message(messageId))]);
  const ack = buildAck(header, 'accept');
  const source = `hl7:${sender}`;
  const result = await acceptMessageDocument(
    deps.db,
    {
      message: { ...base, messageType: referral.messageType, storageKey: raw.key, storageKeyId: raw.keyId, status: 'accepted', action: referral.action, referralKey, relatedDocumentId: prior[0]?.id ?? null, flags, ackCode: ackCode('accept', header.enhanced), ack },
      document: {
        id: documentId,
        source,
        externalId: referral.key ? sealText(deps.keyring, referral.key, binding.externalId(documentId)) : null,
        idempotencyKey: null,
        sha256: sha256Hex(document.bytes),
        kind: document.kind,
        byteSize: document.bytes.length,
        storageKey: original.key,
        storageKeyId: original.keyId,
        createdBy: at.tokenId ?? null,
        intakeFields: sealText(deps.keyring, fieldsJson, binding.intakeFields(documentId)),
        intakeFlags: flags,
        supersedes: prior[0]?.id ?? null,
      },
      fallbackSource: `${source}#${messageId}`,
      // The same document again is one case only when it is the same referral (same key) with the same fields:
      // a resend. Anything else that differs (a reused control id, a corrected name) is a new case to compare.
      reuse: (existing: DocumentRow) => prior.some((p) => p.id === existing.id) && sameFields(deps.keyring, existing, fieldsJson),
    },
    { actor: at.actor, ip: at.ip ?? null, detail: { messageId, channel: at.channel, messageType: referral.messageType, action: referral.action, flags, attachments: referral.attachments.length, notes: referral.notes.length } },
  );
  if (result.document.id !== documentId) await deps.blobs.remove(original.key);
  if (result.raced) await deps.blobs.remove(raw.key);
  if (result.created) {
    await deps.queues.enqueue('extract', { documentId: result.document.id, run: result.document.run }).catch((e: Error) => {
      deps.log.warn({ documentId: result.document.id, err: { message: e.message } }, 'enqueue failed; the reconciler will retry');
    });
  }
  return { status: result.raced ? 'duplicate' : 'accepted', ack: result.message.ack!, documentId: result.document.id, messageId: result.message.id };
}

/** The first attachment that is a document the pipeline reads; otherwise the message's clinical text. */
function documentFor(r: Hl7Referral): { bytes: Buffer; kind: NonNullable<ReturnType<typeof sniffKind>> } {
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
function referredTo(r: Hl7Referral, clinics: ClinicTable) {
  if (!r.clinicCandidates.length) return {};
  const matcher = clinicMatcher(clinics);
  const mapped = r.clinicCandidates.map((c) => ({ ...c, specialty: matcher.best(c.raw)?.specialty ?? null }));
  const pick = mapped.find((c) => c.specialty) ?? mapped[0]!;
  return {
    referredTo: { value: { raw: pick.raw, specialty: pick.specialty }, confidence: pick.specialty ? 0.95 : 0.5, evidence: [], source: 'hl7' as const, at: pick.at },
  };
}

const first = (v: string, h: AckHeader) => v.split(h.delimiters.component)[0]!.slice(0, 100);
const typeOf = (text: string) => {
  const h = ackHeader(text);
  const line = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)[0] ?? '';
  const f = line.split(h.delimiters.field)[8] ?? '';
  return f.split(h.delimiters.component).slice(0, 2).join('^').slice(0, 20);
};
