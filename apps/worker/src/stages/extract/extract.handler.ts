import { extractPages, type ExtractLimits } from '@triage/documents';
import { upsertPages } from '@triage/db';
import { binding, type Keyring } from '@triage/crypto';
import type { SealedBlobStore } from '@triage/storage';
import type { StageHandler } from '../../stage-handler.ts';
import { digestOf } from '../digest.ts';
import { finalOnRetry } from '../../errors.ts';

export type ExtractDeps = { blobs: SealedBlobStore; keyring: Keyring; limits: ExtractLimits; extract?: typeof extractPages };

/** Text per page (with word boxes for text layers read by position); pages without a usable text layer are marked for OCR, page by page. */
export function createExtractHandler(deps: ExtractDeps): StageHandler<'extract'> {
  const extract = deps.extract ?? extractPages;
  return async (ctx, doc) => {
    const bytes = await deps.blobs.get(doc.storageKey, binding.original(doc.id));
    const pages = await extract(bytes, doc.kind, deps.limits).catch(finalOnRetry(ctx.attempt));
    const ocrPages = pages.filter((p) => p.source === 'needs-ocr').length;
    return {
      outcome: { type: 'extracted', pages: pages.length, ocrPages },
      outputDigest: digestOf(pages.map((p) => [p.pageNo, p.source, p.text])),
      detail: { pages: pages.length, ocrPages },
      commit: (tx) =>
        upsertPages(
          tx,
          pages.map((p) => ({
            documentId: doc.id,
            pageNo: p.pageNo,
            source: p.source,
            text: p.source === 'needs-ocr' ? '' : p.text,
            ocrConfidence: null,
            rotation: null,
            ocrEngine: null,
            // Where each word of a text-layer page stands (offsets and boxes, never the words), as OCR pages keep
            // theirs: the fields stage reads a form's values by position from it.
            layout: p.source === 'text-layer' ? (p.layout ?? null) : null,
          })),
          deps.keyring,
        ),
    };
  };
}
