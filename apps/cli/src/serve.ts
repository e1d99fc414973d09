import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { buildServer, startMllpListener, type ApiDeps } from '@triage/api';
import { loadClassifier } from '@triage/classifier';
import { publicUrl } from '@triage/config';
import type { StageName } from '@triage/contracts';
import { createNativeTesseractEngine, createTesseractJsEngine, readAcroForm, type OcrEngine } from '@triage/documents';
import {
  createFileMailer,
  createHandlers,
  createSmtpMailer,
  DRAIN_TIMEOUT_MS,
  createStageMetrics,
  startCircuitBreaker,
  startReconciler,
  startRetention,
  startWorkerHost,
  type WorkerHost,
} from '@triage/worker';
import type { Runtime } from './runtime.ts';

export const CODE_VERSION = process.env.TRIAGE_CODE_VERSION ?? '0.1.0';

export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** `overrides` lets a test swap a dependency (e.g. the review UI folder) while keeping production wiring. */
export async function startApi(rt: Runtime, registry: Registry, overrides: Partial<ApiDeps> = {}) {
  const app = await buildServer({
    db: rt.dbh.db,
    redis: rt.producer,
    queues: rt.queues,
    blobs: rt.blobs,
    keyring: rt.keyring,
    policy: rt.policy,
    log: rt.log,
    registry,
    maxUploadBytes: rt.config.MAX_UPLOAD_BYTES,
    reviewLeaseMs: rt.config.REVIEW_LEASE_MS,
    sessionTtlMs: rt.config.SESSION_TTL_MS,
    reviewSla: { emergent: rt.config.REVIEW_SLA_EMERGENT_MS, urgent: rt.config.REVIEW_SLA_URGENT_MS, routine: rt.config.REVIEW_SLA_ROUTINE_MS },
    redFlags: rt.redFlags,
    listen: rt.dbh.listen,
    behindTlsProxy: rt.config.BEHIND_TLS_PROXY,
    render: { timeoutMs: rt.config.PAGE_TIMEOUT_MS, maxMemoryMb: rt.config.PARSE_MEMORY_MB, maxPixels: rt.config.MAX_PAGE_PIXELS },
    hl7: { defaultEncoding: rt.config.HL7_DEFAULT_ENCODING },
    ...overrides,
    https:
      rt.config.TLS_CERT_FILE && rt.config.TLS_KEY_FILE
        ? { cert: readFileSync(rt.config.TLS_CERT_FILE), key: readFileSync(rt.config.TLS_KEY_FILE) }
        : undefined,
  });
  const address = await app.listen({ host: rt.config.HOST, port: rt.config.PORT });
  return { app, address };
}

export function startWorkers(rt: Runtime, registry: Registry, stages: readonly StageName[], concurrency: number): WorkerHost & { stopAll(): Promise<void> } {
  const c = rt.config;
  let engine: OcrEngine | undefined;
  const mailer = c.SMTP_URL ? createSmtpMailer(c.SMTP_URL, { requireTLS: c.SMTP_REQUIRE_TLS }) : createFileMailer(join(c.DATA_DIR, 'mail'));
  const handlers = createHandlers({
    db: rt.dbh.db,
    blobs: rt.blobs,
    keyring: rt.keyring,
    limits: {
      maxPages: c.MAX_PAGES,
      minTextChars: c.MIN_TEXT_CHARS,
      timeoutMs: c.PARSE_TIMEOUT_MS,
      maxMemoryMb: c.PARSE_MEMORY_MB,
      maxPagePixels: c.MAX_PAGE_PIXELS,
      maxDocumentPixels: c.MAX_DOCUMENT_PIXELS,
      renderDpi: c.OCR_DPI,
      maxTextChars: c.MAX_TEXT_CHARS,
    },
    render: { dpi: c.OCR_DPI, timeoutMs: c.PAGE_TIMEOUT_MS, maxMemoryMb: c.PARSE_MEMORY_MB, maxPixels: c.MAX_PAGE_PIXELS },
    maxDocumentPixels: c.MAX_DOCUMENT_PIXELS,
    ocrEngine: () => {
      if (engine) return engine;
      const native = c.OCR_ENGINE !== 'tesseract.js' ? createNativeTesseractEngine({ pageTimeoutMs: c.PAGE_TIMEOUT_MS }) : null;
      if (c.OCR_ENGINE === 'native' && !native) rt.log.warn('OCR_ENGINE=native but no tesseract binary on PATH; using tesseract.js');
      engine = native ?? createTesseractJsEngine({ workers: c.OCR_WORKERS, pageTimeoutMs: c.PAGE_TIMEOUT_MS });
      return engine;
    },
    model: () =>
      loadClassifier({
        kind: c.CLASSIFIER,
        modelPath: c.MODEL_PATH,
        ...(c.EMBEDDING_MODEL_DIR !== undefined && { embeddingModelDir: c.EMBEDDING_MODEL_DIR }),
        allowRemoteModels: c.ALLOW_REMOTE_MODELS,
      }),
    policy: rt.policy,
    redFlags: rt.redFlags,
    ocrMinConfidence: c.OCR_MIN_CONFIDENCE,
    mailer,
    mailFrom: c.MAIL_FROM,
    hl7Responses: c.HL7_RESPONSE_ROUTES,
    publicUrl: publicUrl(c),
    readAcroForm: (pdf) => readAcroForm(pdf, { timeoutMs: c.PARSE_TIMEOUT_MS, maxMemoryMb: c.PARSE_MEMORY_MB }),
  });
  const host = startWorkerHost({
    stages,
    concurrency,
    connection: rt.workerConnection(),
    prefix: c.QUEUE_PREFIX,
    handlers,
    db: rt.dbh.db,
    log: rt.log,
    runner: {
      db: rt.dbh.db,
      queues: rt.queues,
      log: rt.log,
      workerId: c.WORKER_ID ?? `${hostname()}:${process.pid}`,
      codeVersion: CODE_VERSION,
      metrics: createStageMetrics(registry),
    },
  });
  const reconciler = startReconciler(rt.dbh.db, rt.queues, rt.log, {
    intervalMs: c.RECONCILE_INTERVAL_MS,
    staleMs: c.RECONCILE_STALE_MS,
    sendingStaleMs: c.OUTBOX_UNKNOWN_AFTER_MS,
  });
  const retention = startRetention(rt.dbh.db, rt.rawBlobs, rt.log, { days: c.RETENTION_DAYS, intervalMs: c.RETENTION_INTERVAL_MS });
  const breaker = startCircuitBreaker(rt.dbh.db, rt.policy, rt.log, c.CIRCUIT_BREAKER_INTERVAL_MS);
  return {
    ...host,
    async stopAll() {
      reconciler.stop();
      breaker.stop();
      retention.stop();
      await host.close(DRAIN_TIMEOUT_MS);
      await engine?.close().catch(() => undefined);
      mailer.close();
    },
  };
}

let stopHook: ((signal: string) => void) | null = null;

/** Before anything starts, a stop signal has nothing to drain: exit cleanly at once. */
export function installEarlySignalHandlers() {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => (stopHook ? stopHook(signal) : process.exit(0)));
  }
}

/** SIGTERM/SIGINT: stop taking jobs, finish or release running ones (30 s at most), exit 0. */
export function onShutdown(rt: Runtime, fn: () => Promise<void>) {
  let stopping = false;
  stopHook = (signal: string) => {
    if (stopping) return;
    stopping = true;
    rt.log.info({ signal }, 'shutting down');
    fn()
      .then(() => rt.close())
      .then(() => process.exit(0))
      .catch((e: Error) => {
        rt.log.error({ err: { message: e.message } }, 'shutdown failed');
        process.exit(1);
      });
  };
}

/** The HL7 v2 listener, when MLLP_PORT is not 0; null otherwise. */
export async function startMllp(rt: Runtime, overrides: { port?: number; registry?: Registry } = {}) {
  const c = rt.config;
  const port = overrides.port ?? c.MLLP_PORT;
  if (port === 0 && overrides.port === undefined) return null;
  const server = await startMllpListener(
    { db: rt.dbh.db, blobs: rt.blobs, keyring: rt.keyring, queues: rt.queues, log: rt.log, clinics: rt.policy.clinics },
    { port, host: c.HOST, maxBytes: c.MLLP_MAX_BYTES, defaultEncoding: c.HL7_DEFAULT_ENCODING, ...(overrides.registry ? { registry: overrides.registry } : {}), ...(c.HL7_SENDER_ENCODINGS ? { senderEncodings: c.HL7_SENDER_ENCODINGS } : {}) },
  );
  rt.log.info({ port: server.port }, 'mllp listening');
  return server;
}
