import type { FastifyInstance } from 'fastify';
import type { Encoding } from '@triage/hl7';
import { ApiError } from '../errors.ts';
import type { ApiDeps } from '../api-deps.ts';
import { requirePrincipal } from '../request-helpers.ts';
import { receiveHl7 } from '../services/hl7-intake.service.ts';
import { hl7Metrics } from '../services/hl7-metrics.ts';

export const HL7_MEDIA_TYPE = 'x-application/hl7-v2+er7';

/**
 * HL7 v2 over HTTP: the answer is always 200 with the ACK as the body, whatever the ACK code (AA, AE, AR); a
 * 4xx/5xx means only that the transport failed (no token, no body), as the HL7 over HTTP profile has it.
 */
export function hl7Routes(deps: ApiDeps) {
  const defaultEncoding: Encoding = deps.hl7?.defaultEncoding ?? 'windows-1252';
  const observe = hl7Metrics(deps.registry);
  return async (app: FastifyInstance) => {
    app.post('/v1/hl7', async (req, reply) => {
      const principal = requirePrincipal(req);
      const body = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new ApiError(400, 'empty_body', `send one HL7 v2 message as the body (${HL7_MEDIA_TYPE})`);
      // A charset on the content type is the sender telling us its encoding, like MSH-18.
      const charset = /charset=([\w-]+)/i.exec(String(req.headers['content-type'] ?? ''))?.[1]?.toLowerCase();
      const encoding: Encoding = charset === 'utf-8' || charset === 'utf8' ? 'utf-8' : charset === 'iso-8859-1' ? 'iso-8859-1' : defaultEncoding;
      const t0 = performance.now();
      const r = await receiveHl7(
        { ...deps, clinics: deps.policy.clinics },
        { channel: 'http', endpoint: `token:${principal.name}`, defaultEncoding: encoding, tokenId: principal.tokenId, actor: `token:${principal.tokenId}`, ip: req.ip },
        body,
      );
      observe('http', r.status, (performance.now() - t0) / 1000);
      return reply.code(200).header('content-type', `${HL7_MEDIA_TYPE}; charset=windows-1252`).header('x-triage-hl7-status', r.status).send(Buffer.from(r.ack, 'latin1'));
    });
  };
}
