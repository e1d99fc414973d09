import type { FastifyInstance } from 'fastify';
import { openApiDocument } from '../openapi.ts';

/** The API description, public like /metrics: it names routes and roles, never data. */
export function openApiRoutes(version: string) {
  const doc = openApiDocument(version);
  return async (app: FastifyInstance) => {
    app.get('/openapi.json', async () => doc);
  };
}
