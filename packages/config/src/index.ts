import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const KEYRING = /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/;

const int = (def: number) => z.coerce.number().int().positive().default(def);

/** Every setting of every process, parsed once in main (never at import time). */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Absent: an embedded PGlite database under DATA_DIR/pglite. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** `redis://`, `rediss://`, or `redis+cluster://host:port,host:port` (Redis Cluster: QUEUE_PREFIX needs a {hash tag}). */
  REDIS_URL: z.string().regex(/^(rediss?|redis\+cluster):\/\//, 'must be a redis://, rediss:// or redis+cluster:// URL').default('redis://127.0.0.1:6379'),
  /** Absent: mail is written as .eml files under DATA_DIR/mail. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// URL').optional(),
  MAIL_FROM: z.string().email().default('triage@localhost'),
  DATA_DIR: z.string().default(resolve(REPO_ROOT, '.data')),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** `triage worker`'s own /healthz, /readyz and /metrics (stage metrics live in the worker process); 0: off. */
  WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** HL7 v2 over MLLP: `triage api` and `triage start` listen here, `triage mllp` runs the listener alone; 0 turns it off. */
  MLLP_PORT: z.coerce.number().int().min(0).max(65535).default(2575),
  /** A frame larger than this is refused with AR (and not buffered past the limit). */
  MLLP_MAX_BYTES: int(25 * 1024 * 1024),
  /** How a message that does not declare MSH-18 is decoded (a BOM means UTF-8 whatever this says). */
  HL7_DEFAULT_ENCODING: z.enum(['windows-1252', 'utf-8', 'iso-8859-1']).default('windows-1252'),
  /** Per-sender overrides: `APP^FACILITY=utf-8,OTHERAPP=iso-8859-1` (MSH-3 and MSH-4 namespace ids). */
  HL7_SENDER_ENCODINGS: z
    .string()
    .regex(/^[^=,]+=(windows-1252|utf-8|iso-8859-1)(,[^=,]+=(windows-1252|utf-8|iso-8859-1))*$/, 'must be SENDER=encoding[,SENDER=encoding…]')
    .optional()
    .transform((v) => (v ? (Object.fromEntries(v.split(',').map((p) => p.split('=') as [string, string])) as Record<string, 'windows-1252' | 'utf-8' | 'iso-8859-1'>) : undefined)),
  /**
   * Where application responses (RRI^I12, ORR^O02, ORG^O20) go, per sender that asks for them in MSH-16:
   * `APP^FACILITY=host:port,OTHERAPP=host:port` (MSH-3/MSH-4 namespace ids). Unset: no application responses.
   */
  HL7_RESPONSE_ROUTES: z
    .string()
    .regex(/^[^=,]+=[\w.-]+:\d{1,5}(,[^=,]+=[\w.-]+:\d{1,5})*$/, 'must be SENDER=host:port[,SENDER=host:port…]')
    .optional()
    .transform((v) => (v ? Object.fromEntries(v.split(',').map((p) => p.split('=') as [string, string])) : {})),
  /** Public base URL used in email links. */
  PUBLIC_URL: z.string().url().optional(),
  /**
   * BullMQ key prefix. On Redis Cluster it must hold one `{hash tag}` (e.g. `{triage}`) so each queue's keys share a
   * slot (BullMQ's scripts touch many keys of one queue; no flows are used, so queues need not share more).
   */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[\w-]*(\{[\w-]+\})?[\w-]*$/, 'letters, digits, _ and -, with at most one {hash tag}')
    .refine((v) => v.length > 0, 'must not be empty')
    .default('triage'),
  ROUTING_POLICY: z.string().default(resolve(REPO_ROOT, 'policy/routing-policy.json')),
  /** Clinical red-flag rules (raise urgency or force review, never lower); "off" disables them. */
  RED_FLAGS: z.string().default(resolve(REPO_ROOT, 'policy/red-flags.json')),
  /** Classifier artifact: the LR/stacked model (CLASSIFIER=lr) or an embedding-head artifact (CLASSIFIER=embedding). */
  MODEL_PATH: z.string().default(resolve(REPO_ROOT, 'models/triage-model.json')),
  CLASSIFIER: z.enum(['lr', 'embedding']).default('lr'),
  /** Local transformers.js model folder; overrides the one recorded in the embedding artifact. */
  EMBEDDING_MODEL_DIR: z.string().optional(),
  /** Off: the embedding model is read from its folder only, never downloaded. */
  ALLOW_REMOTE_MODELS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_UPLOAD_BYTES: int(50 * 1024 * 1024),
  /**
   * Fax-server folders (comma-separated) that every `triage worker` watches: a file is taken once complete, moved
   * to DIR/done or DIR/failed. Unset: none. Every worker may watch the same folders (taking a file is a rename).
   */
  WATCH_DIRS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((d) => d.trim()).filter(Boolean) : [])),
  MAX_PAGES: int(200),
  /** A PDF page with fewer visible characters than this is sent to OCR. */
  MIN_TEXT_CHARS: int(40),
  /** Jobs in flight per stage per process; CPU-heavy work still queues on the parser and OCR pools. */
  WORKER_CONCURRENCY: int(8),
  /** auto: the `tesseract` CLI where it is installed (1.6x tesseract.js per core on dense pages, same word recall), else tesseract.js. */
  OCR_ENGINE: z.enum(['auto', 'tesseract.js', 'native']).default('auto'),
  OCR_WORKERS: int(1),
  OCR_DPI: int(200),
  /** Pages OCR'd below this mean confidence make the case go to review. */
  OCR_MIN_CONFIDENCE: z.coerce.number().min(0).max(100).default(55),
  PARSE_TIMEOUT_MS: int(60_000),
  PARSE_MEMORY_MB: int(512),
  /** Pixels one page may have (image input, or a PDF page rendered for OCR); a larger image fails too_large. */
  MAX_PAGE_PIXELS: int(60_000_000),
  /** Pixels a whole document may add up to across its pages (multi-page TIFFs, OCR of many pages). */
  MAX_DOCUMENT_PIXELS: int(800_000_000),
  /** Characters of text a document may yield; more fails too_large (classifying megabytes stalls a worker). */
  MAX_TEXT_CHARS: int(2_000_000),
  /** Deadline for one page: rendering it, and recognising it. */
  PAGE_TIMEOUT_MS: int(60_000),
  REVIEW_LEASE_MS: int(10 * 60_000),
  /** Service-level targets: a review task is due this long after it was created, by urgency. */
  REVIEW_SLA_EMERGENT_MS: int(60 * 60_000),
  REVIEW_SLA_URGENT_MS: int(24 * 60 * 60_000),
  REVIEW_SLA_ROUTINE_MS: int(5 * 24 * 60 * 60_000),
  /** Browser sessions (review UI) last this long at most, and end with their token. */
  SESSION_TTL_MS: int(8 * 60 * 60_000),
  RECONCILE_INTERVAL_MS: int(30_000),
  /** How often each worker process checks the circuit breaker's window (the policy sets its limits). */
  CIRCUIT_BREAKER_INTERVAL_MS: int(30_000),
  /** How often each process chains pending audit events (writers never wait for it). */
  AUDIT_SEQUENCE_INTERVAL_MS: int(200),
  /** An audit event unchained longer than this is an alert (`triage_audit_unsequenced_oldest_seconds`). */
  AUDIT_UNSEQUENCED_ALERT_MS: int(5_000),
  /** A document whose state has not moved for this long with no live job is enqueued again. */
  RECONCILE_STALE_MS: int(60_000),
  /** An email left `sending` this long (its sender died mid-send) is marked `unknown` for an operator. */
  OUTBOX_UNKNOWN_AFTER_MS: int(5 * 60_000),
  WORKER_ID: z.string().optional(),
  /**
   * Days after a document finishes (routed, failed, rejected) before its original, page text and evidence
   * are purged. 0 keeps everything: the period is a legal decision of each organisation, and a default that
   * deletes would destroy records on the first start of an upgraded deployment.
   */
  RETENTION_DAYS: z.coerce.number().int().min(0).default(0),
  RETENTION_INTERVAL_MS: int(60 * 60_000),
  /** Postgres TLS: verify-full checks the server certificate and host name against DATABASE_CA_FILE. */
  DATABASE_SSL: z.enum(['disable', 'require', 'verify-full']).default('disable'),
  DATABASE_CA_FILE: z.string().optional(),
  /** Refuse to send mail unless the SMTP connection upgrades to TLS (STARTTLS) or is smtps://. */
  SMTP_REQUIRE_TLS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** HTTPS served by the API itself… */
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  /** …or plain HTTP behind a TLS-terminating proxy on a private network (see SECURITY.md). */
  BEHIND_TLS_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /**
   * AES-256-GCM keyring `id:<base64 32 bytes>[,id:<key>…]`: the first encrypts, all decrypt. Absent outside
   * production: a development key generated once under DATA_DIR.
   */
  TRIAGE_ENCRYPTION_KEY: z
    .string()
    .regex(KEYRING, 'must be id:<base64 of 32 bytes>[,id:<key>…] (`triage keys generate` prints one)')
    .optional(),
});

export type Config = z.infer<typeof configSchema>;

/** Settings that are each valid but wrong together. */
function combinationProblems(c: Config): string[] {
  const out: string[] = [];
  if (c.REDIS_URL.startsWith('redis+cluster://') && !/\{[\w-]+\}/.test(c.QUEUE_PREFIX)) {
    out.push('QUEUE_PREFIX: Redis Cluster needs a {hash tag} in the prefix, e.g. {triage}, or queue scripts fail with CROSSSLOT');
  }
  return out;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const r = configSchema.safeParse(cleaned);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const wrong = combinationProblems(r.data);
  if (wrong.length) throw new ConfigError(`invalid configuration:\n${wrong.map((w) => `  ${w}`).join('\n')}`);
  const unsafe = productionProblems(r.data);
  if (unsafe.length) throw new ConfigError(`refusing insecure settings in production:\n${unsafe.map((u) => `  ${u}`).join('\n')}`);
  return r.data;
}

/** Production refuses the insecure fallbacks that are convenient on a laptop. */
export function productionProblems(c: Config): string[] {
  if (c.NODE_ENV !== 'production') return [];
  const out: string[] = [];
  if (!c.DATABASE_URL) out.push('DATABASE_URL: the embedded database is for development only');
  else if (c.DATABASE_SSL !== 'verify-full') out.push('DATABASE_SSL: must be verify-full');
  if (!c.SMTP_URL) out.push('SMTP_URL: mail to files is for development only');
  else if (!c.SMTP_URL.startsWith('smtps://') && !c.SMTP_REQUIRE_TLS) out.push('SMTP_REQUIRE_TLS: must be true (or use smtps://)');
  if (!c.TRIAGE_ENCRYPTION_KEY) out.push('TRIAGE_ENCRYPTION_KEY: required (the generated key is for development only)');
  if (c.ALLOW_REMOTE_MODELS) out.push('ALLOW_REMOTE_MODELS: a production process loads models only from local folders');
  if (!(c.TLS_CERT_FILE && c.TLS_KEY_FILE) && !c.BEHIND_TLS_PROXY) out.push('TLS_CERT_FILE/TLS_KEY_FILE: serve HTTPS, or set BEHIND_TLS_PROXY=true behind a TLS-terminating proxy');
  return out;
}

export function publicUrl(c: Config): string {
  return (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, '');
}
