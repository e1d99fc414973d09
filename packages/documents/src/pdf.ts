import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFParse, VerbosityLevel } from 'pdf-parse';
import type { LoadParameters } from 'pdf-parse';
import { pdfjsDir } from './assets.ts';
import { DocumentError, errorName } from './errors.ts';

// Fonts, cmaps and wasm decoders come from disk, never from the network.
const asset = (dir: string) => path.join(pdfjsDir, dir) + path.sep;

let workerLoaded: Promise<void> | undefined;

/**
 * Loads pdf.js's "worker" module into this thread up front. We are already inside an
 * isolated worker_thread, so pdf.js must not start another one, and preloading moves the
 * ~0.2 s module parse out of the first document's deadline.
 */
export function preloadPdfjs(): Promise<void> {
  workerLoaded ??= import(pathToFileURL(path.join(pdfjsDir, 'legacy/build/pdf.worker.mjs')).href).then((mod) => {
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = mod;
  });
  return workerLoaded;
}

export type OpenPdfOptions = { maxImagePixels?: number };

export async function openPdf(bytes: Uint8Array, opts: OpenPdfOptions = {}): Promise<PDFParse> {
  await preloadPdfjs();
  const params: LoadParameters = {
    data: bytes,
    verbosity: VerbosityLevel.ERRORS,
    isEvalSupported: false, // never compile PDF-supplied code (PostScript functions)
    enableXfa: false,
    useSystemFonts: false,
    disableFontFace: true,
    useWorkerFetch: false,
    stopAtErrors: false, // partial text from a damaged page beats none
    standardFontDataUrl: asset('standard_fonts'),
    cMapUrl: asset('cmaps'),
    cMapPacked: true,
    wasmUrl: asset('wasm'),
    iccUrl: asset('iccs'),
    maxImageSize: opts.maxImagePixels ?? -1,
  };
  return new PDFParse(params);
}

/** Maps pdf.js / pdf-parse failures onto our reasons; DocumentErrors pass through. */
export function pdfFailure(err: unknown): Error {
  if (err instanceof DocumentError) return err;
  const name = errorName(err);
  if (name === 'PasswordException') return new DocumentError('encrypted', 'PDF is password-protected');
  if (err instanceof RangeError && /allocation failed|out of memory/i.test(err.message)) {
    return new DocumentError('memory', `PDF exhausted memory (${name})`);
  }
  return new DocumentError('unreadable', `PDF could not be parsed (${name})`);
}

export async function pdfPageCount(parser: PDFParse): Promise<number> {
  // getInfo without parsePageInfo only loads the document catalogue, no page content.
  const info = await parser.getInfo();
  return info.total;
}
