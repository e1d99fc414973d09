import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idempotencyKey, intakeFields } from '@triage/contracts';
import { binding, DecryptError, openText } from '@triage/crypto';
import { joinPageTexts } from '@triage/contracts';
import { getDocument, getPages, getReferralByDocument, latestClassification, latestFieldSet, listAttempts, type DocumentRow } from '@triage/db';
import { ApiError } from '../errors.ts';
import { type ApiDeps } from '../api-deps.ts';
import { audit, requirePrincipal } from '../request-helpers.ts';
import { acceptDocument, type IntakeInput } from '../services/intake.service.ts';
import { missingFieldNames } from '../services/missing-fields.ts';
import { parse } from './ops.routes.ts';

export const idParams = z.object({ id: z.string().uuid('id must be a uuid') });
const CONTENT_TYPES: Record<DocumentRow['kind'], string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
  text: 'text/plain; charset=utf-8',
};

export function documentRoutes(deps: ApiDeps) {
  return async (app: FastifyInstance) => {
    app.post('/v1/documents', async (req, reply) => {
      const principal = requirePrincipal(req);
      const input = await readUpload(req);
      const key = req.headers['idempotency-key'];
      if (key !== undefined) input.idempotencyKey = parse(idempotencyKey, Array.isArray(key) ? key[0] : key);
      const r = await acceptDocument(deps, principal, input);
      await audit(deps.db, req, r.duplicate ? 'document_duplicate' : 'document_received', {}, r.id);
      if (r.duplicate) return reply.code(200).send({ id: r.id, status: r.status, duplicate: true });
      return reply.code(202).send({ id: r.id, status: 'received' });
    });

    app.get('/v1/documents/:id', async (req) => {
      const doc = await readableDocument(deps, req);
      // Audit first: if the audit write fails, nothing is disclosed.
      await audit(deps.db, req, 'document_read', {}, doc.id);
      const [referral, classification, fieldSet] = await Promise.all([
        getReferralByDocument(deps.db, doc.id),
        latestClassification(deps.db, doc.id),
        latestFieldSet(deps.db, doc.id, deps.keyring),
      ]);
      const missing = missingFieldNames(fieldSet?.missing ?? [], referral?.reasons ?? []);
      // Evidence and red flags are stored as offsets; their words come from the sealed page text.
      const text = referral ? await pageText(deps, req, doc.id) : null;
      return {
        id: doc.id,
        status: doc.status,
        kind: doc.kind,
        source: doc.source,
        externalId: doc.externalId ? openText(deps.keyring, doc.externalId, binding.externalId(doc.id)) : null,
        receivedAt: doc.receivedAt,
        completedAt: doc.completedAt,
        purgedAt: doc.purgedAt,
        triage: referral
          ? {
              urgency: { label: referral.urgency, confidence: referral.urgencyConfidence },
              specialty: { label: referral.specialty, confidence: referral.specialtyConfidence },
              decision: referral.decision === 'auto' ? 'auto' : 'review',
              reasons: referral.reasons,
              team: referral.team,
              decidedBy: referral.decidedBy.startsWith('reviewer:') ? 'reviewer' : 'model',
              evidence: withTerms(classification?.evidence, text),
              redFlags: withTerms(referral.redFlags, text),
              // Which rule chose the team and the priority, with the scores it weighed.
              basis: referral.basis ?? null,
              modelVersion: referral.modelVersion,
              policyVersion: referral.policyVersion,
            }
          : null,
        ...(fieldSet ? { fields: fieldSet.fields, missing, fieldsVersion: fieldSet.fieldsVersion, clinicsVersion: fieldSet.clinicsVersion } : {}),
        error: doc.status === 'failed' ? { reason: doc.failureReason, message: doc.failureMessage } : null,
      };
    });

    // The stored original, for reviewers. Retention leaves the record but not the content: 410 once purged.
    app.get('/v1/documents/:id/original', async (req, reply) => {
      const doc = await readableDocument(deps, req);
      if (doc.purgedAt) {
        await audit(deps.db, req, 'request_refused', { why: 'purged' }, doc.id);
        throw new ApiError(410, 'gone', 'the document was purged by retention; its content is gone', { purgedAt: doc.purgedAt });
      }
      await audit(deps.db, req, 'document_content_read', { part: 'original' }, doc.id);
      const bytes = await deps.blobs.get(doc.storageKey, binding.original(doc.id));
      return reply.header('content-type', CONTENT_TYPES[doc.kind]).header('cache-control', 'no-store').send(bytes);
    });

    app.get('/v1/documents/:id/provenance', async (req) => {
      const doc = await readableDocument(deps, req);
      await audit(deps.db, req, 'provenance_read', {}, doc.id);
      const attempts = await listAttempts(deps.db, doc.id);
      return {
        documentId: doc.id,
        events: [
          { type: 'received', at: doc.receivedAt, sha256: doc.sha256, kind: doc.kind, bytes: doc.byteSize },
          ...attempts.map((a) => ({
            type: 'attempt',
            stage: a.stage,
            run: a.run,
            attempt: a.attempt,
            jobId: a.jobId,
            worker: a.worker,
            startedAt: a.startedAt,
            endedAt: a.endedAt,
            outcome: a.outcome,
            errorClass: a.errorClass,
            errorMessage: a.errorMessage,
            inputDigest: a.inputDigest,
            outputDigest: a.outputDigest,
            codeVersion: a.codeVersion,
            modelVersion: a.modelVersion,
            policyVersion: a.policyVersion,
            detail: a.detail,
          })),
        ],
      };
    });
  };
}

type Span = { start: number; end: number };
function withTerms(items: unknown, text: string | null): unknown[] {
  if (!Array.isArray(items)) return [];
  return text === null ? items : items.map((i: Span) => ({ ...i, term: text.slice(i.start, i.end) }));
}

/** Text that does not decrypt (a wrong key, or tampering) still lets the status be read, without the words. */
async function pageText(deps: ApiDeps, req: FastifyRequest, documentId: string): Promise<string | null> {
  try {
    return joinPageTexts((await getPages(deps.db, documentId, deps.keyring)).map((p) => p.text));
  } catch (e) {
    if (!(e instanceof DecryptError)) throw e;
    req.log.warn({ documentId, reason: e.reason, keyId: e.keyId }, 'page text does not decrypt');
    return null;
  }
}

/** Intake tokens see only their own uploads; anything else looks like it does not exist. */
async function readableDocument(deps: ApiDeps, req: FastifyRequest): Promise<DocumentRow> {
  const principal = requirePrincipal(req);
  const { id } = parse(idParams, req.params);
  const doc = await getDocument(deps.db, id);
  if (!doc || (principal.role === 'intake' && doc.createdBy !== principal.tokenId)) {
    throw new ApiError(404, 'not_found', 'no such document');
  }
  return doc;
}

async function readUpload(req: FastifyRequest): Promise<IntakeInput> {
  if (!req.isMultipart()) {
    const body = req.body;
    if (body === undefined || body === null) throw new ApiError(400, 'empty_body', 'the document is empty');
    if (!Buffer.isBuffer(body)) {
      throw new ApiError(415, 'unsupported_media_type', 'send the document as a raw body or as multipart field "file"');
    }
    return { bytes: body };
  }
  // No prototype: a field named "__proto__" or "constructor" is just an unknown key for the strict schema.
  const fields: Record<string, string> = Object.create(null);
  let bytes: Buffer | undefined;
  try {
    bytes = await readParts(req, fields);
  } catch (e) {
    if (e instanceof ApiError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
      throw new ApiError(413, 'payload_too_large', 'a multipart upload carries one file and at most 10 fields');
    }
    if ((e as { statusCode?: number }).statusCode === 413) throw e;
    // busboy's own errors (no closing boundary, broken part headers) are the client's malformed body.
    throw new ApiError(400, 'invalid_request', 'malformed multipart body');
  }
  if (!bytes) throw new ApiError(400, 'empty_body', 'multipart upload has no "file" field');
  const f = parse(intakeFields, fields);
  return { bytes, source: f.source, externalId: f.externalId };
}

async function readParts(req: FastifyRequest, fields: Record<string, string>): Promise<Buffer | undefined> {
  let bytes: Buffer | undefined;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') throw new ApiError(400, 'invalid_request', 'unexpected file field: send the document as field "file"');
      bytes = await part.toBuffer();
    } else {
      // busboy cuts a value at the field size limit and says so; a cut value must not pass as the real one.
      if (part.valueTruncated || part.fieldnameTruncated) throw new ApiError(400, 'invalid_request', 'a form field is longer than 1024 bytes');
      fields[part.fieldname] = String(part.value);
    }
  }
  return bytes;
}
