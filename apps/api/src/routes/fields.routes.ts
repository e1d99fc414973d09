import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fieldName, referralFields, type FieldName, type ReferralFields } from '@triage/contracts';
import { getDocument, getReferralByDocument, getReviewTask, latestFieldSet, replaceFieldSet, setInformationRequested } from '@triage/db';
import { conflictingFields, missingFields } from '@triage/fields';
import { requiredFieldsFor } from '@triage/routing';
import type { ApiDeps } from '../api-deps.ts';
import { ApiError } from '../errors.ts';
import { audit, requirePrincipal } from '../request-helpers.ts';
import { informationRequestPdf } from '../services/information-request.service.ts';
import { parse } from './ops.routes.ts';

const idParams = z.object({ id: z.string().uuid('id must be a uuid') });
/** `value: null` removes a value the reader got wrong and the document does not really carry. */
export const correction = z.object({ field: fieldName, value: z.unknown() }).strict();

/** The value schema of one field, from the contract, so a correction is held to the same shape as a reading. */
function valueSchema(field: FieldName): z.ZodType {
  const f = referralFields.shape[field] as unknown as z.ZodOptional<z.ZodObject<{ value: z.ZodType }>>;
  return f.unwrap().shape.value;
}

export function fieldRoutes(deps: ApiDeps) {
  const requiredFor = (team: string | null) => requiredFieldsFor(deps.policy, team);

  /** The task, if the caller holds a live claim on it: changing a case is the holder's. */
  async function heldTask(id: string, tokenId: string) {
    const task = await getReviewTask(deps.db, id);
    if (!task) throw new ApiError(404, 'not_found', 'no such review task');
    if (task.status === 'decided') throw new ApiError(409, 'conflict', 'the task is already decided');
    if (task.claimedBy !== tokenId || !task.claimExpiresAt || task.claimExpiresAt <= new Date()) {
      throw new ApiError(409, 'claim_required', 'claim the task first (the claim may have expired or be held by someone else)');
    }
    return task;
  }

  return async (app: FastifyInstance) => {
    // A reviewer's correction of one field: sealed like the reading, on the audit trail by name (never by value).
    app.post('/v1/review/tasks/:id/fields', async (req) => {
      const principal = requirePrincipal(req);
      const { id } = parse(idParams, req.params);
      const body = parse(correction, req.body);
      const task = await heldTask(id, principal.tokenId);
      const set = await latestFieldSet(deps.db, task.documentId, deps.keyring);
      if (!set) throw new ApiError(409, 'conflict', 'the document has no fields to correct yet');
      const fields = { ...(set.fields as ReferralFields) } as Record<string, unknown>;
      if (body.value === null) delete fields[body.field];
      else {
        const value = valueSchema(body.field).safeParse(body.value);
        if (!value.success) throw new ApiError(400, 'invalid_request', `value: ${value.error.issues.map((i) => `${i.path.join('.') || body.field}: ${i.message}`).join('; ')}`);
        fields[body.field] = { value: value.data, confidence: 1, evidence: [], source: 'reviewer' };
      }
      const next = referralFields.parse(fields);
      const team = (await getReferralByDocument(deps.db, task.documentId))?.team ?? null;
      const missing = missingFields(next, requiredFor(team));
      const conflicts = conflictingFields(next);
      await replaceFieldSet(deps.db, task.documentId, set.run, next, Object.keys(next), missing, conflicts, deps.keyring);
      await audit(deps.db, req, 'field_corrected', { taskId: id, field: body.field, cleared: body.value === null }, task.documentId);
      return { fields: next, missing, conflicts };
    });

    // Waiting on the referrer and back: one switch, both directions audited.
    for (const [path, requested, action, refusal] of [
      ['request-information', true, 'information_requested', 'information is already requested for this task'],
      ['information-received', false, 'information_received', 'no information is requested for this task'],
    ] as const) {
      app.post(`/v1/review/tasks/:id/${path}`, async (req) => {
        const principal = requirePrincipal(req);
        const { id } = parse(idParams, req.params);
        await heldTask(id, principal.tokenId);
        const t = await setInformationRequested(deps.db, id, requested);
        if (!t) throw new ApiError(409, 'conflict', refusal);
        await audit(deps.db, req, action, { taskId: id }, t.documentId);
        return { id, status: t.status, slaPausedMs: t.slaPausedMs };
      });
    }

    // The letter to the referrer: exactly what is missing or conflicting, addressed to the fax the referral gave.
    app.get('/v1/documents/:id/information-request.pdf', async (req, reply) => {
      const { id } = parse(idParams, req.params);
      const doc = await getDocument(deps.db, id);
      if (!doc) throw new ApiError(404, 'not_found', 'no such document');
      const set = await latestFieldSet(deps.db, id, deps.keyring);
      if (!set) throw new ApiError(409, 'conflict', 'the document has not been read yet');
      const fields = referralFields.parse(set.fields);
      const team = (await getReferralByDocument(deps.db, id))?.team ?? null;
      const missing = missingFields(fields, requiredFor(team));
      const conflicts = conflictingFields(fields);
      if (missing.length === 0 && conflicts.length === 0) throw new ApiError(409, 'conflict', 'nothing is missing or conflicting');
      await audit(deps.db, req, 'information_request_read', { missing, conflicts }, id);
      const pdf = await informationRequestPdf({ documentId: id, receivedAt: doc.receivedAt, fields, missing, conflicts });
      return reply.type('application/pdf').header('cache-control', 'no-store').send(pdf);
    });
  };
}
