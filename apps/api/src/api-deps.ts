import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Db, Listen } from '@triage/db';
import type { RedisConnection, StageQueues } from '@triage/queue';
import type { RedFlagRules, RoutingPolicy } from '@triage/routing';
import type { Keyring } from '@triage/crypto';
import type { SealedBlobStore } from '@triage/storage';

/** Everything the API's routes use, passed in by whoever builds the server (production defaults in apps/cli). */
export type ApiDeps = {
  db: Db;
  redis: RedisConnection;
  queues: StageQueues;
  blobs: SealedBlobStore;
  /** Opens and seals page text, external ids and review notes (originals go through `blobs`). */
  keyring: Keyring;
  policy: RoutingPolicy;
  log: Logger;
  registry: Registry;
  maxUploadBytes: number;
  reviewLeaseMs: number;
  /** Serve HTTPS directly; otherwise run behind a TLS-terminating proxy. */
  https?: { cert: Buffer; key: Buffer } | undefined;
  /** Behind a TLS-terminating proxy: cookies are still marked Secure. */
  behindTlsProxy?: boolean;
  /** Browser session lifetime (SESSION_TTL_MS). */
  sessionTtlMs?: number;
  /** Review service-level targets per urgency, in ms. */
  reviewSla?: ReviewSla;
  /** Red-flag rules, for the labels the case screen shows. */
  redFlags?: RedFlagRules | null;
  /** Postgres LISTEN, for live queue events from any process. */
  listen?: Listen;
  /** The built review UI (default: apps/review-ui/dist). */
  reviewUiDir?: string;
  /** Limits for rendering page images (same isolation as OCR rendering). */
  render?: { timeoutMs: number; maxMemoryMb: number; maxPixels: number };
  /** How HL7 v2 messages that do not declare MSH-18 are decoded. */
  hl7?: { defaultEncoding: 'windows-1252' | 'utf-8' | 'iso-8859-1' };
};

export type ReviewSla = { emergent: number; urgent: number; routine: number };
export const DEFAULT_REVIEW_SLA: ReviewSla = { emergent: 3_600_000, urgent: 86_400_000, routine: 5 * 86_400_000 };
export const DEFAULT_SESSION_TTL_MS = 8 * 3_600_000;

