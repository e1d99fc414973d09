import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiError } from '../errors.ts';
import { type ApiDeps } from '../api-deps.ts';

export const DEFAULT_REVIEW_UI_DIR = fileURLToPath(new URL('../../../review-ui/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

// The page holds no data; these keep it from being framed or fed foreign scripts.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Static files of the built review UI under /review, with the SPA fallback to index.html. */
export function reviewUiRoutes(deps: ApiDeps) {
  return async (app: FastifyInstance) => {
    const root = () => resolve(deps.reviewUiDir ?? DEFAULT_REVIEW_UI_DIR);
    app.get('/review', async (_req, reply) => sendFile(reply, root(), 'index.html'));
    app.get('/review/*', async (req, reply) => {
      const rel = (req.params as { '*'?: string })['*'] ?? '';
      return sendFile(reply, root(), rel === '' ? 'index.html' : rel);
    });
  };
}

async function sendFile(reply: FastifyReply, root: string, rel: string) {
  const path = resolve(root, rel);
  if (path !== root && !path.startsWith(root + sep)) throw new ApiError(404, 'not_found', 'no such file');
  const index = resolve(root, 'index.html');
  let file = (await isFile(path)) ? path : null;
  // Client-side routes (no extension) get the app; a missing asset is a real 404.
  if (!file && extname(rel) === '' && (await isFile(index))) file = index;
  if (!file) throw new ApiError(404, 'not_found', (await isFile(index)) ? 'no such file' : 'the review UI is not built (apps/review-ui)');
  const ext = extname(file);
  const hashedAsset = file.startsWith(resolve(root, 'assets') + sep);
  return reply
    .headers(SECURITY_HEADERS)
    .type(TYPES[ext] ?? 'application/octet-stream')
    .header('cache-control', hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache')
    .send(await readFile(file));
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
