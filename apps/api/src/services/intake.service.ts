import { randomUUID } from 'node:crypto';
import { binding, sealText, type Keyring } from '@triage/crypto';
import { sniffKind } from '@triage/documents';
import { findExistingDocument, insertDocument, type Db, type Principal } from '@triage/db';
import type { StageQueues } from '@triage/queue';
import { sha256Hex, type SealedBlobStore } from '@triage/storage';
import type { Logger } from 'pino';
import { ApiError } from '../errors.ts';

export type IntakeInput = {
  bytes: Buffer;
  source?: string | undefined;
  externalId?: string | undefined;
  idempotencyKey?: string | undefined;
};

export type IntakeResult = { id: string; status: string; duplicate: boolean };

/** Who sends: a token's principal, or a channel with no token (a watched folder: `tokenId: null`, created_by stays null). */
export type IntakePrincipal = Pick<Principal, 'name'> & { tokenId: string | null };

/**
 * Seals the original (bound to the new row's id) and stores it durably, commits the document row, then enqueues. If the enqueue fails the
 * document is still accepted: the reconciler finds it in Postgres and enqueues it later.
 */
export async function acceptDocument(
  deps: { db: Db; blobs: SealedBlobStore; keyring: Keyring; queues: Pick<StageQueues, 'enqueue'>; log: Logger },
  principal: IntakePrincipal,
  input: IntakeInput,
): Promise<IntakeResult> {
  if (input.bytes.length === 0) throw new ApiError(400, 'empty_body', 'the document is empty');
  const kind = sniffKind(input.bytes);
  if (!kind) {
    throw new ApiError(415, 'unsupported_media_type', 'unsupported document type: send PDF, PNG, JPEG, TIFF or plain text');
  }
  const source = input.source ?? `token:${principal.name}`;
  const sha256 = sha256Hex(input.bytes);
  const dedup = { source, sha256, createdBy: principal.tokenId, idempotencyKey: input.idempotencyKey ?? null };
  const existing = await findExistingDocument(deps.db, dedup);
  if (existing) return { id: existing.id, status: existing.status, duplicate: true };
  // The id is chosen here because the ciphertext is bound to it.
  const id = randomUUID();
  const { key, keyId } = await deps.blobs.put(input.bytes, binding.original(id));
  const { row, duplicate } = await insertDocument(deps.db, {
    id,
    source,
    externalId: input.externalId ? sealText(deps.keyring, input.externalId, binding.externalId(id)) : null,
    idempotencyKey: input.idempotencyKey ?? null,
    sha256,
    kind,
    byteSize: input.bytes.length,
    storageKey: key,
    storageKeyId: keyId,
    createdBy: principal.tokenId,
  });
  if (duplicate) {
    // Lost a race with the same upload: this sealed copy belongs to no row.
    await deps.blobs.remove(key);
  } else {
    await deps.queues.enqueue('extract', { documentId: row.id, run: row.run }).catch((e: Error) => {
      deps.log.warn({ documentId: row.id, err: { message: e.message } }, 'enqueue failed; the reconciler will retry');
    });
  }
  return { id: row.id, status: row.status, duplicate };
}
