/**
 * OCR / render benchmark (not a test): `npx tsx packages/documents/src/bench-ocr.ts [iterations]`.
 * Pages come from the fixtures, plus the shared referral forms and tesseract test pages when
 * /work/shared is present. Prints render time per PDF page, pages/s for tesseract.js (one
 * worker) and the tesseract CLI (OMP_THREAD_LIMIT=1) on identical PNGs, memory, and how
 * three orientation strategies fare on rotated pages.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import sharp from 'sharp';
import { makeImageOnlyPdf, makeScanPng } from './fixtures.ts';
import { closeDocumentWorkers, renderPage } from './isolate.ts';
import { createNativeTesseractEngine, findOnPath } from './native-tesseract.ts';
import { createTesseractJsEngine, detectPage, readPage, spawnDetector, spawnRecognizer, terminate } from './ocr-pool.ts';
import { DEFAULT_ORIENTATION_POLICY, readingRotation, recognizeOriented, rotatePng } from './orientation.ts';
import type { Rotation } from './orientation.ts';
import type { OcrEngine } from './types.ts';

const ITER = Number(process.argv[2] === '--rss-probe' ? 1 : (process.argv[2] ?? 3));
const SHARED = '/work/shared/datasets';
const RENDER = { dpi: 200, timeoutMs: 60_000, maxMemoryMb: 512, maxPixels: 50_000_000 };
const LETTER = `Dear Dr Patel, thank you for seeing Mrs Eleanor Whitfield, aged 67, who has had three
episodes of transient left arm weakness and slurred speech over the past fortnight, each lasting
about twenty minutes. She has atrial fibrillation and is not anticoagulated. Blood pressure today
was 162 over 94. Please assess for TIA and advise on anticoagulation. Current medication:
amlodipine 5 mg daily, atorvastatin 20 mg nightly. Allergies: penicillin (rash).`;

const ms = (t0: number) => performance.now() - t0;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const fmt = (n: number, d = 0) => n.toFixed(d);

async function pdfPages(): Promise<Array<{ name: string; pdf: Buffer }>> {
  const pages = [{ name: 'fixture image-only letter', pdf: await makeImageOnlyPdf([LETTER]) }];
  const forms = `${SHARED}/referral-forms`;
  for (const [name, path] of [
    ['referral form, born-digital', `${forms}/born_digital/wbsllc-referral-form.pdf`],
    ['referral form, fax-like 100 dpi scan', `${forms}/image_only/wbsllc-referral-form.faxlike-100dpi.pdf`],
  ] as const) {
    if (existsSync(path)) pages.push({ name, pdf: readFileSync(path) });
  }
  return pages;
}

async function benchRender(pages: Array<{ name: string; pdf: Buffer }>): Promise<Array<{ name: string; png: Buffer }>> {
  console.log(`\n## renderPage (PDF page → grayscale PNG at ${RENDER.dpi} dpi, warm worker thread; first call includes spawn)`);
  const out: Array<{ name: string; png: Buffer }> = [];
  for (const { name, pdf } of pages) {
    let t0 = performance.now();
    let png = await renderPage(pdf, 'pdf', 1, RENDER);
    const first = ms(t0);
    t0 = performance.now();
    for (let i = 0; i < ITER; i++) png = await renderPage(pdf, 'pdf', 1, RENDER);
    const meta = await sharp(png).metadata();
    console.log(`${name.padEnd(40)} first ${fmt(first).padStart(5)} ms, warm ${fmt(ms(t0) / ITER).padStart(4)} ms/page  (${meta.width}×${meta.height})`);
    out.push({ name, png });
  }
  return out;
}

async function benchEngine(engine: OcrEngine, pages: Array<{ name: string; png: Buffer }>): Promise<void> {
  await engine.recognize(pages[0]!.png); // warm-up: worker start and model load are paid once
  let total = 0;
  for (const { name, png } of pages) {
    const t0 = performance.now();
    let r = await engine.recognize(png);
    for (let i = 1; i < ITER; i++) r = await engine.recognize(png);
    const per = ms(t0) / ITER;
    total += per;
    console.log(`${engine.name.padEnd(14)} ${name.padEnd(40)} ${fmt(per).padStart(5)} ms/page  ${fmt(1000 / per, 2)} pages/s  conf ${r.confidence}`);
  }
  console.log(`${engine.name.padEnd(14)} ${'mean over pages'.padEnd(40)} ${fmt(total / pages.length).padStart(5)} ms/page  ${fmt((1000 * pages.length) / total, 2)} pages/s`);
  await engine.close();
}

/** Peak RSS of one `tesseract` run, via GNU time when present. */
function nativePeakRssMb(png: Buffer): number | null {
  if (!existsSync('/usr/bin/time') || !findOnPath('tesseract')) return null;
  const run = spawnSync('/usr/bin/time', ['-f', 'peak-kb %M', 'tesseract', 'stdin', 'stdout', '--psm', '3'], {
    input: png,
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  const kb = Number(/peak-kb (\d+)/.exec(run.stderr.toString())?.[1]);
  return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
}

/**
 * RSS of a fresh process running `workers` tesseract.js workers flat out on one page, so
 * the numbers are not polluted by rendering. Runs this file again with --rss-probe.
 */
function probeRss(pngPath: string, workers: number, osd = false): string {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--rss-probe', pngPath, String(workers), String(osd)]);
  return out.toString().trim();
}

async function rssProbe(pngPath: string, workers: number, osd: boolean): Promise<void> {
  const png = readFileSync(pngPath);
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const engine = createTesseractJsEngine({ workers, osd });
  for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: workers }, () => engine.recognize(png)));
  const settled = process.memoryUsage().rss;
  await engine.close();
  clearInterval(sampler);
  console.log(`base ${mb(base)} MB, peak ${mb(peak)} MB, after 3 rounds ${mb(settled)} MB → ${mb((peak - base) / workers)} MB per worker`);
}

/** Every base page at every right angle; `want` is the clockwise turn that undoes it. */
async function rotatedCases(extra: Array<{ name: string; png: Buffer }>): Promise<Array<{ name: string; png: Buffer; turned: Rotation; want: Rotation }>> {
  const bases = [
    { name: 'fixture letter', png: await makeScanPng(LETTER, 0) },
    { name: 'fixture one-liner', png: await makeScanPng('Fax cover sheet: 3 pages follow.', 0) },
    ...extra,
  ];
  const dir = `${SHARED}/ocr-pages/tesseract_test`;
  if (existsSync(`${dir}/phototest.tif`)) bases.push({ name: 'phototest.tif', png: await sharp(`${dir}/phototest.tif`).greyscale().png().toBuffer() });
  if (existsSync(`${dir}/8071_093.3B.tif`)) {
    // a 300 dpi book scan, brought to the 200 dpi the pipeline renders at
    bases.push({ name: '8071_093.3B.tif', png: await sharp(`${dir}/8071_093.3B.tif`).resize({ width: 2208 }).greyscale().png().toBuffer() });
  }
  const cases = [];
  for (const base of bases) {
    for (const turned of [0, 90, 180, 270] as const) {
      const png = turned ? await rotatePng(base.png, turned) : base.png;
      cases.push({ name: `${base.name} @${turned}`, png, turned, want: ((360 - turned) % 360) as Rotation });
    }
  }
  return cases;
}

async function benchOrientation(extra: Array<{ name: string; png: Buffer }>): Promise<void> {
  console.log('\n## orientation strategies (tesseract.js; every page turned 0/90/180/270)');
  const [rec, det] = await Promise.all([spawnRecognizer(), spawnDetector()]);
  const recognize = (png: Buffer) => readPage(rec, png, 120_000);
  const detect = (png: Buffer) => detectPage(det, png, 120_000);
  const strategies: Record<string, (png: Buffer) => Promise<{ rotation: Rotation }>> = {
    'two passes: upright, then 180° if poor (default)': (png) => recognizeOriented(png, { recognize }, DEFAULT_ORIENTATION_POLICY),
    'two passes + OSD when both poor (osd: true)': (png) => recognizeOriented(png, { recognize, detect }, DEFAULT_ORIENTATION_POLICY),
    'OSD first, then one pass': async (png) => {
      const osd = await detect(png);
      const turn = osd && osd.confidence >= 1.5 ? osd.rotation : 0;
      const r = await recognize(turn ? await rotatePng(png, turn) : png);
      return { rotation: ((turn + readingRotation(r.lines)) % 360) as Rotation };
    },
    'brute force: 4 passes, best confidence': async (png) => {
      let best = { rotation: 0 as Rotation, confidence: -1 };
      for (const rotation of [0, 90, 180, 270] as const) {
        const r = await recognize(rotation ? await rotatePng(png, rotation) : png);
        const total = ((rotation + readingRotation(r.lines)) % 360) as Rotation;
        if (r.confidence > best.confidence) best = { rotation: total, confidence: r.confidence };
      }
      return best;
    },
  };
  const cases = await rotatedCases(extra);
  await recognize(cases[0]!.png); // the first pass in a fresh worker is slower: keep it out
  await detect(cases[0]!.png);
  for (const [name, run] of Object.entries(strategies)) {
    let right = 0;
    const time = { upright: [0, 0], turned: [0, 0] };
    const misses: string[] = [];
    for (const c of cases) {
      const t0 = performance.now();
      const { rotation } = await run(c.png);
      const bucket = time[c.turned === 0 ? 'upright' : 'turned'];
      bucket[0]! += ms(t0);
      bucket[1]! += 1;
      if (rotation === c.want) right++;
      else misses.push(`${c.name} → ${rotation}`);
    }
    const avg = ([t, n]: number[]) => fmt(t! / n!).padStart(5);
    console.log(`${name.padEnd(50)} ${right}/${cases.length} right; upright ${avg(time.upright)} ms/page, turned ${avg(time.turned)} ms/page${misses.length ? `; misses: ${misses.join(', ')}` : ''}`);
  }
  await Promise.all([terminate(rec), terminate(det)]);
}

/** Longest main-thread stall while `fn` runs: what BullMQ lock renewal would feel. */
async function loopStall<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const result = await fn();
  h.disable();
  return [result, h.max / 1e6];
}

async function main(): Promise<void> {
  const pdfs = await pdfPages();
  const [rendered, renderStall] = await loopStall(() => benchRender(pdfs));
  await closeDocumentWorkers();
  console.log(`\n## OCR, one page at a time (${ITER} runs each after a warm-up; orientation check on)`);
  const [, ocrStall] = await loopStall(() => benchEngine(createTesseractJsEngine({ workers: 1 }), rendered));
  console.log(`event loop: longest stall ${fmt(renderStall)} ms during isolated rendering, ${fmt(ocrStall)} ms during tesseract.js OCR`);
  const native = createNativeTesseractEngine();
  if (native) await benchEngine(native, rendered);
  else console.log('tesseract CLI not on PATH: skipped (apt-get install tesseract-ocr tesseract-ocr-eng)');

  console.log('\n## memory (fresh process per probe; tesseract.js workers are threads of that process)');
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-ocr-'));
  const page200 = path.join(dir, 'page-200dpi.png');
  writeFileSync(page200, rendered.at(-1)!.png);
  const page300 = path.join(dir, 'page-300dpi.png');
  writeFileSync(page300, await renderPage((await pdfPages()).at(-1)!.pdf, 'pdf', 1, { ...RENDER, dpi: 300 }));
  await closeDocumentWorkers();
  for (const [label, file] of [['200 dpi', page200], ['300 dpi', page300]] as const) {
    for (const workers of [1, 2]) console.log(`tesseract.js ${label}, ${workers} worker(s): ${probeRss(file, workers)}`);
    const native = nativePeakRssMb(readFileSync(file));
    if (native !== null) console.log(`tesseract CLI ${label}: peak ${native} MB per process`);
  }
  const turned = path.join(dir, 'page-200dpi-turned.png');
  writeFileSync(turned, await rotatePng(rendered.at(-1)!.png, 180));
  console.log(`tesseract.js 200 dpi upside down (two passes), 1 worker: ${probeRss(turned, 1)}`);
  await benchOrientation(rendered.filter((p) => p.name.includes('fax-like')).map((p) => ({ name: 'referral form fax-like', png: p.png })));
}

if (process.argv[2] === '--rss-probe') await rssProbe(process.argv[3]!, Number(process.argv[4]), process.argv[5] === 'true');
else await main();
