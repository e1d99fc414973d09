import http from 'node:http';
import { sql } from 'drizzle-orm';
import type { Registry } from 'prom-client';
import type { WorkerHost } from '@triage/worker';
import type { Runtime } from './runtime.ts';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), ms).unref())]);

/**
 * A worker process's own small HTTP face (WORKER_HTTP_PORT): `/healthz` (the event loop answers), `/readyz` (its
 * BullMQ workers run, Postgres and Redis answer) and `/metrics` (stage attempts and durations, which only this
 * process knows). Nothing here reads documents; it binds where HOST says.
 */
export async function startWorkerHttp(rt: Runtime, registry: Registry, host: Pick<WorkerHost, 'workers'>, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/json') => res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') return send(405, '{"error":"method_not_allowed"}');
    if (url === '/healthz') return send(200, '{"ok":true}');
    if (url === '/metrics') {
      void registry.metrics().then((m) => send(200, m, registry.contentType), () => send(500, '{"error":"metrics"}'));
      return;
    }
    if (url === '/readyz') {
      void (async () => {
        const checks: Record<string, string> = {};
        await withTimeout(rt.dbh.db.execute(sql`select 1`), 2000).then(() => (checks.postgres = 'ok'), (e: Error) => (checks.postgres = `down: ${e.message}`));
        await withTimeout(rt.producer.ping(), 2000).then(() => (checks.redis = 'ok'), (e: Error) => (checks.redis = `down: ${e.message}`));
        checks.workers = host.workers.every((w) => w.isRunning()) ? 'ok' : 'down: a stage worker is not running';
        const ready = Object.values(checks).every((v) => v === 'ok');
        send(ready ? 200 : 503, JSON.stringify({ ready, checks }));
      })();
      return;
    }
    send(404, '{"error":"not_found"}');
  });
  await new Promise<void>((resolve) => server.listen(port, rt.config.HOST, resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
