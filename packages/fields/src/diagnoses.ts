import { candidate, type Sink } from './candidate.ts';
import { ICD10 } from './checks.ts';
import { evidence, ocrFactor } from './doc.ts';
import { rawOf, type ValueCtx } from './value-read.ts';

export type DxItem = { code?: string; text: string; start: number; end: number };

// Something shaped like an ICD-10 code; OCR reads I as l or 1 and O as 0, so the first letter is tolerant.
const CODE = /(?<![A-Za-z0-9.])([A-Za-z01|][0-9][0-9ABab0Oo](?:\.[0-9A-Za-z]{1,4})?)(?![A-Za-z0-9])/g;

function normaliseCode(raw: string): string {
  const first = raw[0] === '0' ? 'O' : /[1l|]/.test(raw[0]!) ? 'I' : raw[0]!.toUpperCase();
  const third = /[Oo]/.test(raw[2]!) ? '0' : raw[2]!.toUpperCase();
  return first + raw[1] + third + raw.slice(3).toUpperCase();
}

const clean = (s: string) =>
  s
    .replace(/\b(?:icd-?10(?:-cm)?|icd|code)\b:?/gi, ' ')
    .replace(/\(\s*\)|\[\s*\]/g, ' ')
    .replace(/^[\s\-–:;,.()[\]/]+|[\s\-–:;,.()[\]/]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();

function codesIn(part: string): { code: string; start: number; end: number }[] {
  const out: { code: string; start: number; end: number }[] = [];
  CODE.lastIndex = 0;
  for (let m = CODE.exec(part); m; m = CODE.exec(part)) {
    // Vitamin B12 and the like are not codes.
    if (/^b12$/i.test(m[1]!) && /^\s*(?:defic|level)/i.test(part.slice(m.index + 4))) continue;
    out.push({ code: normaliseCode(m[1]!), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Diagnoses in a value: "I20.0 Unstable angina; R07.9 Chest pain", "Angina (I20.9)", "HTN, DM2, CKD". */
export function parseDiagnoses(raw: string): DxItem[] {
  const items: DxItem[] = [];
  const parts: [number, number][] = [];
  let from = 0;
  for (const m of raw.matchAll(/[;\n•|]|(?:^|\s)\d[.)]\s/g)) {
    parts.push([from, m.index]);
    from = m.index + m[0].length;
  }
  parts.push([from, raw.length]);
  for (const [a, b] of parts) {
    const part = raw.slice(a, b);
    if (!part.trim()) continue;
    const codes = codesIn(part);
    if (!codes.length) {
      const pieces = part.split(',');
      const list = pieces.length >= 3 && pieces.every((p) => p.trim().split(/\s+/).length <= 4);
      let off = 0;
      for (const p of list ? pieces : [part]) {
        const text = clean(p);
        if (text && /[A-Za-z]{2}/.test(text)) items.push({ text, start: a + off + p.indexOf(text.slice(0, 3)), end: a + off + p.length });
        off += p.length + 1;
      }
      continue;
    }
    const codeFirst = codes[0]!.start <= (part.search(/\S/) < 0 ? 0 : part.search(/\S/)) + 1;
    codes.forEach((c, i) => {
      const s = codeFirst ? c.start : i === 0 ? 0 : codes[i - 1]!.end;
      const e = codeFirst ? (codes[i + 1]?.start ?? part.length) : c.end + (/^\s*\)/.exec(part.slice(c.end))?.[0].length ?? 0);
      const text = clean(part.slice(s, c.start) + ' ' + part.slice(c.end, e));
      const item: DxItem = { text: text || c.code, start: a + s + (part.slice(s).search(/\S/) > 0 ? part.slice(s).search(/\S/) : 0), end: a + e };
      if (ICD10.test(c.code)) item.code = c.code;
      else if (!text) return;
      items.push(item);
    });
  }
  return items.map((x) => {
    let end = x.end;
    while (end > x.start && /[\s,;.]/.test(raw[end - 1]!)) end--;
    return { ...x, end, text: x.text.slice(0, 500) };
  });
}

export function readDiagnoses(c: ValueCtx, sink: Sink): boolean {
  const items = parseDiagnoses(rawOf(c)).slice(0, 12);
  if (!items.length) return false;
  const withCode = items.filter((i) => i.code).length;
  // A list of coded diagnoses is well defined; free-text lists have fuzzier edges.
  const q = withCode === items.length ? 1 : withCode ? 0.97 : 0.94;
  const evs = items.map((i) => evidence(c.doc, c.page, c.start + i.start, c.start + i.end));
  const value = items.map((i) => (i.code ? { code: i.code, text: i.text } : { text: i.text }));
  sink(candidate('diagnoses', value, c.base * q * ocrFactor(c.doc, c.page, c.start, c.end), evs, c.source));
  return true;
}
