import { DocumentError } from './errors.ts';
import { extractImagePages, isImageKind } from './image.ts';
import { extractPdfPages } from './pdf-text.ts';
import { decodeText } from './text.ts';
import type { DocumentKind, ExtractedPage, ExtractLimits } from './types.ts';

/** Extraction in this thread. Callers use `extractPages`, which isolates pdf/image work. */
export async function extractInProcess(bytes: Uint8Array, kind: DocumentKind, limits: ExtractLimits): Promise<ExtractedPage[]> {
  if (kind === 'text') return [{ pageNo: 1, text: decodeText(bytes), source: 'plain' }];
  if (kind === 'pdf') return extractPdfPages(bytes, limits);
  if (isImageKind(kind)) return extractImagePages(bytes, kind, limits);
  throw new DocumentError('unsupported', `unsupported document kind`);
}
