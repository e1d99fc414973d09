import { createRequire } from 'node:module';
import path from 'node:path';

// Everything the engines need is read from node_modules: no CDN, no network.
const require = createRequire(import.meta.url);

const pkgDir = (name: string, from = require) => path.dirname(from.resolve(`${name}/package.json`));

/** pdfjs-dist as resolved by pdf-parse (it is pdf-parse's dependency, not ours). */
export const pdfjsDir = pkgDir('pdfjs-dist', createRequire(require.resolve('pdf-parse')));

/** Directory holding `eng.traineddata.gz`: LSTM-only integer model (2.9 MB, fastest). */
export const engLangDir = path.join(pkgDir('@tesseract.js-data/eng'), '4.0.0_best_int');

/** `osd.traineddata.gz` for orientation detection with the legacy engine. */
export const osdLangDir = path.join(pkgDir('@tesseract.js-data/osd'), '4.0.0');

/** A TrueType sans that ships with pdf.js, so fixtures draw the same on every machine. */
export const fixtureFontPath = path.join(pdfjsDir, 'standard_fonts', 'LiberationSans-Regular.ttf');
