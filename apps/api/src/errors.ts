import type { FastifyReply } from 'fastify';

export type ApiErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'gone'
  | 'empty_body'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'invalid_request'
  | 'conflict'
  | 'claim_required'
  | 'csrf'
  | 'unavailable'
  | 'internal';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function sendError(reply: FastifyReply, e: ApiError) {
  return reply.code(e.status).send({ error: { code: e.code, message: e.message, ...e.extra } });
}
