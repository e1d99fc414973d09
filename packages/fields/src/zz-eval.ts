// Scratch: generated referrals (text channel) → per-field accuracy and calibration. Not part of the package.
import { FIELD_NAMES } from '@triage/contracts';
import { loadPolicy } from '../../routing/src/policy.ts';
import { loadClinicalSources } from '../../evaluation/src/referrals/clinical-source.ts';
import { generateReferrals, REFERENCE_DATE } from '../../evaluation/src/referrals/generate.ts';
import { fieldCorrect } from '../../evaluation/src/referrals/field-metrics.ts';
import { extractFields } from './extract.ts';

const policy = loadPolicy('/work/main/policy/routing-policy.json');
const sources = await loadClinicalSources('/work/shared/datasets', new Set(Object.keys(policy.teams)));
const n = Number(process.argv[2] ?? 300);
const seed = Number(process.argv[3] ?? 7);
const docs = generateReferrals({ seed, count: n, sources }).filter((d) => d.family !== 'acroform');
const stats = new Map<string, { ret: number; ok: number; present: number; conf: number; wrongEx: string[] }>();
const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, ok: 0 }));
let ms = 0;
for (const d of docs) {
  const pages = d.pages.map((p: any, i: number) => ({ pageNo: i + 1, text: p.text ?? p, source: 'plain' as const }));
  const t0 = performance.now();
  const r = extractFields({ pages, clinics: policy.clinics, today: REFERENCE_DATE });
  ms += performance.now() - t0;
  for (const k of FIELD_NAMES) {
    if (d.unscored.includes(k)) continue;
    const s = stats.get(k) ?? { ret: 0, ok: 0, present: 0, conf: 0, wrongEx: [] };
    stats.set(k, s);
    if ((d.truth as any)[k] !== undefined) s.present++;
    const got = r.fields[k];
    if (!got) continue;
    const ok = fieldCorrect(k, d.truth, r.fields) === true;
    s.ret++;
    s.conf += got.confidence;
    if (ok) s.ok++;
    else if (s.wrongEx.length < 4) s.wrongEx.push(`${d.id}/${d.layout}: got ${JSON.stringify(got.value).slice(0, 80)} (${got.confidence}) want ${JSON.stringify((d.truth as any)[k])?.slice(0, 80)}`);
    const b = bins[Math.min(9, Math.floor(got.confidence * 10))]!;
    b.n++;
    b.conf += got.confidence;
    b.ok += ok ? 1 : 0;
  }
}
let ece = 0;
const total = bins.reduce((a, b) => a + b.n, 0);
for (const b of bins) if (b.n) ece += (b.n / total) * Math.abs(b.conf / b.n - b.ok / b.n);
console.log(`docs ${n}, ${(ms / n).toFixed(2)} ms/doc, ECE ${ece.toFixed(3)}`);
console.log(bins.map((b, i) => `${i / 10}: n=${b.n} conf=${b.n ? (b.conf / b.n).toFixed(2) : '-'} acc=${b.n ? (b.ok / b.n).toFixed(2) : '-'}`).join('\n'));
for (const [k, s] of stats) {
  console.log(`${k.padEnd(22)} present ${s.present} returned ${s.ret} precision ${(s.ok / (s.ret || 1)).toFixed(2)} recall ${(s.ok / (s.present || 1)).toFixed(2)} meanConf ${(s.conf / (s.ret || 1)).toFixed(2)}`);
  if (process.argv[4] === 'v') for (const w of s.wrongEx) console.log('    ', w);
}
