// Ticked boxes: "Priority: [ ] Routine [X] Urgent", "☒ Cardiology", "Sex: (X) F ( ) M", lists under a label.
import { candidate, type Sink } from './candidate.ts';
import { evidence, ocrFactor, type Doc } from './doc.ts';
import { priorityFromValue } from './priority.ts';
import { sexOf } from './value-read.ts';

const BOX = /(\[\s*[xX✓✔✗✘*■]\s*\]|\(\s*[xX✓✔*●]\s*\)|[☒☑✅■▣⊠◼]|\{\s*[xX]\s*\}|\|\s*[xX]\s*\|)|\[\s*_?\s*\]|\(\s*\)|[☐□▢◻○◯]|\{\s*\}/g;

type Kind = 'priority' | 'sex' | 'specialty' | null;
const kindOf = (label: string): Kind =>
  /priorit|urgen|triage|referral type|type of referral|appointment type|timeframe|time frame/i.test(label)
    ? 'priority'
    : /\b(?:sex|gender)\b/i.test(label)
      ? 'sex'
      : /refer(?:red|ral)?\s+to|special|service|department|clinic|consult|discipline/i.test(label)
        ? 'specialty'
        : null;

type Box = { start: number; end: number; checked: boolean };

export function readTickBoxes(doc: Doc, sink: Sink): void {
  let listLabel = '';
  let listLine = -2;
  doc.lines.forEach((line, i) => {
    const boxes: Box[] = [];
    BOX.lastIndex = 0;
    for (let m = BOX.exec(line.text); m; m = BOX.exec(line.text)) boxes.push({ start: m.index, end: m.index + m[0].length, checked: m[1] !== undefined });
    if (!boxes.length) {
      // A short line ending in a colon may head a list of boxes below it.
      if (/^[^:]{2,40}:\s*$/.test(line.text) || line.text.trim().split(/\s+/).length <= 4) {
        listLabel = line.text;
        listLine = i;
      }
      return;
    }
    const t = line.text;
    const prefix = t.slice(0, boxes[0]!.start);
    // "Sex: [X] F", "SEX - [X] F": a label then its separator; without one the prefix may be the first option.
    const sep = /\s*(?::|\s[-–—])\s*$/.exec(prefix) ?? /:\s*/.exec(prefix);
    const colon = sep ? sep.index + sep[0].length - 1 : -1;
    const rowLabel = sep ? prefix.slice(0, sep.index) : '';
    const afterLast = t.slice(boxes[boxes.length - 1]!.end).trim();
    // Options usually follow their box; "Urgent [X] Routine [ ]" puts them before.
    const before = !afterLast && prefix.slice(colon + 1).trim().length > 0;
    if (i - listLine > 1 && !rowLabel) listLabel = '';
    const label = rowLabel || listLabel;
    if (!rowLabel) listLine = i;
    const kind = kindOf(label);
    boxes.forEach((b, k) => {
      if (!b.checked) return;
      const from = before ? (k === 0 ? colon + 1 : boxes[k - 1]!.end) : b.end;
      const to = before ? b.start : (boxes[k + 1]?.start ?? t.length);
      const cell = t.slice(from, to);
      const gap = cell.search(/\S(?:\t|\s{3,})/);
      const option = (gap >= 0 ? cell.slice(0, gap + 1) : cell).replace(/^[\s:.\-–]+|[\s,;:.]+$/g, '');
      if (!option) return;
      const oStart = from + cell.indexOf(option);
      const evStart = line.start + Math.min(b.start, oStart);
      const evEnd = line.start + Math.max(b.end, oStart + option.length);
      const ev = [evidence(doc, line.page, evStart, evEnd)];
      const f = ocrFactor(doc, line.page, evStart, evEnd);
      const short = option.split(/\s+/).length <= 5;
      if (kind === 'priority' || (!kind && short)) {
        const yes = /^(?:yes|y)$/i.test(option) ? priorityFromValue(label) : null;
        const p = yes ?? priorityFromValue(option);
        if (p && (yes || p.start <= 2)) return sink(candidate('statedPriority', p.value, (kind ? 0.95 : 0.9) * f, ev));
        if (kind === 'priority') return;
      }
      if (kind === 'sex') {
        const sex = sexOf(option);
        if (sex) sink(candidate('sex', sex, 0.95 * f, ev));
        return;
      }
      const m = doc.clinics.best(option);
      if (kind === 'specialty' || (m && short)) {
        if (/^other\b/i.test(option) && !m) return;
        sink(candidate('referredTo', { raw: option.slice(0, 200), specialty: m?.specialty ?? null }, (m ? 0.94 : 0.8) * (kind ? 1 : 0.93) * f, ev));
      }
    });
  });
}
