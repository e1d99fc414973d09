import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { stageName } from '@triage/contracts';
import { auditHead, listMessages, listUnknownEmails, verifyAuditChain } from '@triage/db';
import { ApiError } from '../errors.ts';
import { type ApiDeps } from '../api-deps.ts';
import { audit } from '../request-helpers.ts';
import { DocumentPurgedError, listFailures, replayDocument } from '../services/ops.service.ts';
import { createOpsMetrics } from '../services/ops-metrics.ts';
import { createDriftMetrics } from '../services/drift-metrics.ts';

export const failuresQuery = z
  .object({ reason: z.string().max(50).optional(), stage: stageName.optional(), limit: z.coerce.number().int().min(1).max(1000).optional() })
  .strict();
export const replayBody = z.object({ fromStage: stageName.optional() }).strict();
export const messagesQuery = z
  .object({ status: z.enum(['accepted', 'error', 'rejected']).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() })
  .strict();
const idParams = z.object({ id: z.string().uuid() });

export function opsRoutes(deps: ApiDeps) {
  createOpsMetrics(deps.registry, deps.db);
  createDriftMetrics(deps.registry, deps.db);
  return async (app: FastifyInstance) => {
    app.get('/v1/failures', async (req) => {
      const q = parse(failuresQuery, req.query);
      return { failures: await listFailures(deps.db, q), unknownEmails: await listUnknownEmails(deps.db) };
    });

    // HL7/FHIR messages as an operator sees them: what came, from whom, what was answered and why (never content).
    app.get('/v1/interface/messages', async (req) => {
      const q = parse(messagesQuery, req.query ?? {});
      const rows = await listMessages(deps.db, { ...(q.status ? { status: q.status } : {}), ...(q.limit ? { limit: q.limit } : {}) });
      return {
        messages: rows.map((m) => ({
          id: m.id,
          protocol: m.protocol,
          channel: m.channel,
          endpoint: m.endpoint,
          sender: m.sender,
          controlId: m.controlId,
          messageType: m.messageType,
          status: m.status,
          action: m.action,
          ackCode: m.ackCode,
          errorCode: m.errorCode,
          errorText: m.errorText,
          flags: m.flags,
          documentId: m.documentId,
          relatedDocumentId: m.relatedDocumentId,
          bytes: m.byteSize,
          sha256: m.sha256,
          receivedAt: m.receivedAt,
        })),
      };
    });

    app.get('/v1/audit/verify', async () => verifyAuditChain(deps.db));
    // The head, for anchoring the chain outside this database (a signed log, a ticket, an email to compliance).
    app.get('/v1/audit/head', async () => (await auditHead(deps.db)) ?? { seq: 0, hash: null });

    app.post('/v1/documents/:id/replay', async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const body = parse(replayBody, req.body ?? {});
      const r = await replayDocument(deps.db, deps.queues, id, body.fromStage).catch((e: unknown) => {
        if (e instanceof DocumentPurgedError) throw new ApiError(410, 'gone', 'the document was purged by retention; it cannot be replayed');
        throw e;
      });
      if (!r) throw new ApiError(404, 'not_found', 'no such document');
      await audit(deps.db, req, 'document_replayed', { fromStage: r.fromStage, run: r.run }, id);
      return reply.code(202).send(r);
    });
  };
}

export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new ApiError(400, 'invalid_request', msg);
  }
  return r.data;
}
