import { binding } from '@triage/crypto';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { z } from 'zod';
import { renderPage } from '@triage/documents';
import { getDocument, getPages } from '@triage/db';
import { ApiError } from '../errors.ts';
import { type ApiDeps } from '../api-deps.ts';
import { audit } from '../request-helpers.ts';
import { parse } from './ops.routes.ts';

export const pageParams = z.object({ id: z.string().uuid('id must be a uuid'), pageNo: z.coerce.number().int().min(1).max(10_000) });
export const pageQuery = z.object({ dpi: z.coerce.number().int().min(36).max(300).default(110) }).strict();

const DEFAULT_RENDER = { timeoutMs: 60_000, maxMemoryMb: 512, maxPixels: 60_000_000 };

/** A page of the original as the reviewer should read it: rendered, and turned upright as OCR found it. */
export function pageRoutes(deps: ApiDeps) {
  return async (app: FastifyInstance) => {
    app.get('/v1/documents/:id/pages/:pageNo/image', async (req, reply) => {
      const { id, pageNo } = parse(pageParams, req.params);
      const { dpi } = parse(pageQuery, req.query ?? {});
      const doc = await getDocument(deps.db, id);
      if (!doc) throw new ApiError(404, 'not_found', 'no such document');
      if (doc.purgedAt) throw new ApiError(410, 'gone', 'the document was purged by retention; its content is gone', { purgedAt: doc.purgedAt });
      if (doc.kind === 'text') throw new ApiError(404, 'not_found', 'a text document has no page images');
      const page = (await getPages(deps.db, id, deps.keyring)).find((p) => p.pageNo === pageNo);
      if (!page) throw new ApiError(404, 'not_found', 'no such page');
      // Audit first: if the audit write fails, nothing is disclosed.
      await audit(deps.db, req, 'page_image_viewed', { pageNo, dpi }, id);
      const bytes = await deps.blobs.get(doc.storageKey, binding.original(doc.id));
      const rendered = await renderPage(bytes, doc.kind, pageNo, { ...DEFAULT_RENDER, ...deps.render, dpi });
      const rotation = page.rotation ?? 0;
      const png = rotation % 360 === 0 ? rendered : await sharp(rendered).rotate(rotation).png({ compressionLevel: 3 }).toBuffer();
      return reply.type('image/png').header('cache-control', 'private, no-store').send(png);
    });
  };
}
