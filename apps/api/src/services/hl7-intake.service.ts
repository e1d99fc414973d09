import { randomUUID } from 'node:crypto';
import { binding } from '@triage/crypto';
import { recordMessage, seenControlId } from '@triage/db';
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
import { sha256Hex } from '@triage/storage';
import { acceptStructured, type StructuredIntakeDeps } from './structured-intake.service.ts';

export type Hl7IntakeDeps = StructuredIntakeDeps;

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

async function receive(deps: Hl7IntakeDeps, at: Hl7Endpoint, bytes: Buffer, header: AckHeader): Promise<Hl7Result> {
  const sha256 = sha256Hex(bytes);
  const decoded = decodeMessage(bytes, at.defaultEncoding);
  const sender = `${first(header.sendingApplication, header)}^${first(header.sendingFacility, header)}`;
  const identity = { sender, controlId: header.controlId, sha256 };
  const { same: stored, reused } = await seenControlId(deps.db, identity);
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
    const ack = buildAck(header, outcome, { error });
    const { key, keyId } = await deps.blobs.put(bytes, binding.message(messageId));
    const row = await recordMessage(
      deps.db,
      { ...base, messageType, storageKey: key, storageKeyId: keyId, status: outcome === 'error' ? 'error' : 'rejected', errorCode: error.code, errorText: error.text, ackCode: ackCode(outcome, header.enhanced), ack },
      { actor: at.actor, ip: at.ip ?? null, action: 'hl7_refused', detail: { messageId, code: error.code, location: error.location ?? null, sender, channel: at.channel } },
    );
    return { status: row.status as 'error' | 'rejected', ack: row.ack!, messageId: row.id };
  };

  let referral: Hl7Referral;
  try {
    referral = interpretMessage(parseMessage(decoded.text));
  } catch (e) {
    if (e instanceof Hl7ParseError) return refuse('error', { code: e.code, text: e.message, location: e.location }, null);
    if (e instanceof Hl7RejectError) return refuse(e.outcome, { code: e.code, text: e.message, location: e.location }, header.messageType);
    throw e;
  }

  const accepted = buildAck(header, 'accept');
  const r = await acceptStructured(
    deps,
    { protocol: 'hl7v2', channel: at.channel, endpoint: at.endpoint, tokenId: at.tokenId ?? null, actor: at.actor, ip: at.ip ?? null, ...identity, bytes, messageId, controlIdReused: reused, appAck: header.appAck },
    {
      source: 'hl7',
      messageType: referral.messageType,
      action: referral.action,
      key: referral.key,
      keyAt: referral.keyAt,
      keyScope: `${sender}\u0000${referral.family}`,
      fields: referral.fields,
      clinicCandidates: referral.clinicCandidates,
      attachments: referral.attachments,
      text: referral.text,
      detail: { sender, notes: referral.notes.length },
    },
    { ack: accepted, ackCode: ackCode('accept', header.enhanced) },
  );
  if (r.outcome === 'unknown_key') {
    return refuse('error', { code: 204, text: `no referral with this ${referral.keyAt ?? 'key'} to cancel`, location: referral.keyAt ?? undefined }, referral.messageType);
  }
  return { status: r.outcome, ack: r.ack!, documentId: r.documentId, messageId: r.messageId };
}

const first = (v: string, h: AckHeader) => v.split(h.delimiters.component)[0]!.slice(0, 100);
