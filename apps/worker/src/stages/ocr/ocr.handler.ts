import { DocumentError, renderPage, type OcrEngine } from '@triage/documents';
import { getPages, upsertPages, type Db, type NewPage } from '@triage/db';
import { binding, type Keyring } from '@triage/crypto';
import type { SealedBlobStore } from '@triage/storage';
import type { StageHandler } from '../../stage-handler.ts';
import { digestOf } from '../digest.ts';
import { finalOnRetry } from '../../errors.ts';

export type OcrDeps = {
  db: Db;
  blobs: SealedBlobStore;
  keyring: Keyring;
  engine: OcrEngine;
  render: { dpi: number; timeoutMs: number; maxMemoryMb: number; maxPixels: number };
  /** Rendered pixels all of a document's OCR pages may add up to (each page is capped by render.maxPixels). */
  maxDocumentPixels: number;
};

/** Width × height from a PNG's IHDR (the renderer always returns PNG). */
function pngPixels(png: Buffer): number {
  return png.length >= 24 ? png.readUInt32BE(16) * png.readUInt32BE(20) : 0;
}

/** Renders each page that needs OCR (in an isolated thread) and reads it with the pooled engine. */
export function createOcrHandler(deps: OcrDeps): StageHandler<'ocr'> {
  return async (ctx, doc) => {
    const todo = (await getPages(deps.db, doc.id, deps.keyring)).filter((p) => p.source === 'needs-ocr' || p.source === 'ocr');
    const bytes = await deps.blobs.get(doc.storageKey, binding.original(doc.id));
    const out: NewPage[] = [];
    let pixels = 0;
    for (const page of todo) {
      const png = await renderPage(bytes, doc.kind, page.pageNo, deps.render).catch(finalOnRetry(ctx.attempt));
      pixels += pngPixels(png);
      if (pixels > deps.maxDocumentPixels) {
        throw new DocumentError('too_large', `pages rendered for OCR exceed ${deps.maxDocumentPixels} pixels in all`);
      }
      const r = await deps.engine.recognize(png).catch(finalOnRetry(ctx.attempt));
      ctx.log.debug({ pageNo: page.pageNo, confidence: r.confidence, rotation: r.rotation }, 'page recognized');
      out.push({
        documentId: doc.id,
        pageNo: page.pageNo,
        source: 'ocr',
        text: r.text,
        ocrConfidence: r.confidence,
        rotation: r.rotation,
        ocrEngine: r.engine,
        // Where each word sits on the upright image, so a value read from a form can be shown on the page (a huge
        // page may have been rendered below OCR_DPI to fit: imageWidth is exact, dpi the setting).
        layout: { imageWidth: r.imageWidth, imageHeight: r.imageHeight, dpi: deps.render.dpi, words: r.words },
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
