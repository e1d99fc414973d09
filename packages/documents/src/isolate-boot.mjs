// Entry of every document worker thread. Worker threads do not inherit tsx's loader hooks
// (neither under `tsx` nor under vitest), so a .ts entry needs them registered here.
// The heavy JavaScript dependencies are imported *before* that: once cached they are never
// passed through tsx, which would otherwise re-transform pdf.js (~3 MB of source) and
// take ~200 MB of heap and ~0.4 s before the first document.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const pdfjsWorker = createRequire(require.resolve('pdf-parse')).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs');
await Promise.all([import('pdf-parse'), import('pdf-lib'), import('sharp'), import(pathToFileURL(pdfjsWorker).href)]);

if (workerData.entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.entry);
