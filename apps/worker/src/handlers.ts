import type { Classifier } from '@triage/classifier';
import type { ExtractLimits, OcrEngine } from '@triage/documents';
import type { Db } from '@triage/db';
import type { RedFlagRules, RoutingPolicy } from '@triage/routing';
import type { Keyring } from '@triage/crypto';
import type { SealedBlobStore } from '@triage/storage';
import type { HandlerCatalog } from './stage-handler.ts';
import { createExtractHandler } from './stages/extract/extract.handler.ts';
import { createOcrHandler } from './stages/ocr/ocr.handler.ts';
import { createClassifyHandler } from './stages/classify/classify.handler.ts';
import { createFieldsHandler, type FieldsDeps } from './stages/fields/fields.handler.ts';
import { createPersistHandler } from './stages/persist/persist.handler.ts';
import { createNotifyHandler } from './stages/notify/notify.handler.ts';
import type { Mailer } from './stages/notify/mailer.ts';

export type HandlerDeps = {
  db: Db;
  blobs: SealedBlobStore;
  keyring: Keyring;
  limits: ExtractLimits;
  render: { dpi: number; timeoutMs: number; maxMemoryMb: number; maxPixels: number };
  /** Rendered pixels one document's OCR may add up to. */
  maxDocumentPixels: number;
  /** Created lazily so a process that runs no OCR stage never starts tesseract workers. */
  ocrEngine: () => OcrEngine;
  model: () => Classifier;
  policy: RoutingPolicy;
  /** Clinical red-flag rules; null switches them off. */
  redFlags: RedFlagRules | null;
  ocrMinConfidence: number;
  readAcroForm: FieldsDeps['readAcroForm'];
  mailer: Mailer;
  mailFrom: string;
  publicUrl: string;
  /** HL7_RESPONSE_ROUTES: where application responses go, per sender. */
  hl7Responses?: Record<string, string>;
};

/** The catalog: the type makes a stage without a handler a compile error. */
export function createHandlers(d: HandlerDeps): HandlerCatalog {
  let ocr: ReturnType<typeof createOcrHandler> | undefined;
  let classify: ReturnType<typeof createClassifyHandler> | undefined;
  return {
    extract: createExtractHandler({ blobs: d.blobs, keyring: d.keyring, limits: d.limits }),
    ocr: (ctx, doc) =>
      (ocr ??= createOcrHandler({ db: d.db, blobs: d.blobs, keyring: d.keyring, engine: d.ocrEngine(), render: d.render, maxDocumentPixels: d.maxDocumentPixels }))(ctx, doc),
    fields: createFieldsHandler({
      db: d.db,
      keyring: d.keyring,
      blobs: d.blobs,
      clinics: d.policy.clinics,
      required: d.policy.requiredFields.all,
      readAcroForm: d.readAcroForm,
    }),
    classify: (ctx, doc) => (classify ??= createClassifyHandler({ db: d.db, model: d.model(), keyring: d.keyring }))(ctx, doc),
    persist: createPersistHandler({ db: d.db, policy: d.policy, redFlags: d.redFlags, ocrMinConfidence: d.ocrMinConfidence, keyring: d.keyring, hl7Responses: d.hl7Responses }),
    notify: createNotifyHandler({ db: d.db, mailer: d.mailer, from: d.mailFrom, publicUrl: d.publicUrl, blobs: d.blobs }),
  };
}
