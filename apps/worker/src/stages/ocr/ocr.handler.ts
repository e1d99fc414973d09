import { renderPage, type OcrEngine } from '@triage/documents';
import { getPages, upsertPages, type Db, type NewPage } from '@triage/db';
import { binding, type Keyring } from '@triage/crypto';
import type { SealedBlobStore } from '@triage/storage';
import type { StageHandler } from '../../stage-handler.ts';
import { digestOf } from '../digest.ts';

export type OcrDeps = {
  db: Db;
  blobs: SealedBlobStore;
  keyring: Keyring;
  engine: OcrEngine;
  render: { dpi: number; timeoutMs: number; maxMemoryMb: number; maxPixels: number };
};

/** Renders each page that needs OCR (in an isolated thread) and reads it with the pooled engine. */
export function createOcrHandler(deps: OcrDeps): StageHandler<'ocr'> {
  return async (ctx, doc) => {
    const todo = (await getPages(deps.db, doc.id, deps.keyring)).filter((p) => p.source === 'needs-ocr' || p.source === 'ocr');
    const bytes = await deps.blobs.get(doc.storageKey, binding.original(doc.id));
    const out: NewPage[] = [];
    for (const page of todo) {
      const png = await renderPage(bytes, doc.kind, page.pageNo, deps.render);
      const r = await deps.engine.recognize(png);
      ctx.log.debug({ pageNo: page.pageNo, confidence: r.confidence, rotation: r.rotation }, 'page recognized');
      out.push({
        documentId: doc.id,
        pageNo: page.pageNo,
        source: 'ocr',
        text: r.text,
        ocrConfidence: r.confidence,
        rotation: r.rotation,
        ocrEngine: r.engine,
      });
    }
    const mean = out.length ? out.reduce((s, p) => s + (p.ocrConfidence ?? 0), 0) / out.length : 0;
    return {
      outcome: { type: 'recognized', pages: out.length, meanConfidence: Math.round(mean * 10) / 10 },
      outputDigest: digestOf(out.map((p) => [p.pageNo, p.text])),
      detail: { engine: deps.engine.name, confidences: out.map((p) => p.ocrConfidence), rotations: out.map((p) => p.rotation) },
      commit: (tx) => upsertPages(tx, out, deps.keyring),
    };
  };
}
