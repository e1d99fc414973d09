import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { ApiError } from '../errors.ts';
import { type ApiDeps } from '../api-deps.ts';
import { requirePrincipal } from '../request-helpers.ts';
import { createReviewEventHub, sseFrame } from '../services/review-events.service.ts';

const PING_MS = 15_000;

/** Server-sent events for the live queue: ids and event types only; the UI refetches what it shows. */
export function reviewEventRoutes(deps: ApiDeps) {
  return async (app: FastifyInstance) => {
    const hub = createReviewEventHub(deps.listen, (why) => app.log.warn(why));
    const streams = new Set<ServerResponse>();
    // Open streams would keep close() waiting forever.
    app.addHook('preClose', async () => {
      for (const s of streams) s.end();
      streams.clear();
      await hub.close();
    });

    app.get('/v1/review/events', async (req, reply) => {
      requirePrincipal(req);
      const res = reply.raw;
      let unsubscribe: () => void;
      try {
        // No await between subscribing and writing the head, so no event can come first.
        unsubscribe = await hub.subscribe((e) => res.write(sseFrame(e)));
      } catch {
        throw new ApiError(503, 'unavailable', 'live review events are unavailable');
      }
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      streams.add(res);
      const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
      const done = () => {
        clearInterval(ping);
        unsubscribe();
        streams.delete(res);
      };
      req.raw.on('close', done);
      res.on('close', done);
    });
  };
}
