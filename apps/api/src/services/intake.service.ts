import { sniffKind } from '@triage/documents';
import { insertDocument, type Db, type Principal } from '@triage/db';
import type { StageQueues } from '@triage/queue';
import type { BlobStore } from '@triage/storage';
import type { Logger } from 'pino';
import { ApiError } from '../errors.ts';

export type IntakeInput = {
  bytes: Buffer;
  source?: string | undefined;
  externalId?: string | undefined;
  idempotencyKey?: string | undefined;
};

export type IntakeResult = { id: string; status: string; duplicate: boolean };

/**
 * Stores the original durably, commits the document row, then enqueues. If the enqueue fails the
 * document is still accepted: the reconciler finds it in Postgres and enqueues it later.
 */
export async function acceptDocument(
  deps: { db: Db; blobs: BlobStore; queues: Pick<StageQueues, 'enqueue'>; log: Logger },
  principal: Principal,
  input: IntakeInput,
): Promise<IntakeResult> {
  if (input.bytes.length === 0) throw new ApiError(400, 'empty_body', 'the document is empty');
  const kind = sniffKind(input.bytes);
  if (!kind) {
    throw new ApiError(415, 'unsupported_media_type', 'unsupported document type: send PDF, PNG, JPEG, TIFF or plain text');
  }
  const { key, sha256 } = await deps.blobs.put(input.bytes);
  const { row, duplicate } = await insertDocument(deps.db, {
    source: input.source ?? `token:${principal.name}`,
    externalId: input.externalId ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
    sha256,
    kind,
    byteSize: input.bytes.length,
    storageKey: key,
    createdBy: principal.tokenId,
  });
  // A retention pass may have deleted a purged twin's blob between put and insert: store the bytes again.
  if (!duplicate && !(await deps.blobs.exists(key))) await deps.blobs.put(input.bytes);
  if (!duplicate) {
    await deps.queues.enqueue('extract', { documentId: row.id, run: row.run }).catch((e: Error) => {
      deps.log.warn({ documentId: row.id, err: { message: e.message } }, 'enqueue failed; the reconciler will retry');
    });
  }
  return { id: row.id, status: row.status, duplicate };
}
