import { buildDoc } from './doc.ts';
import { layoutLines } from './sections.ts';
import { readLabels } from './label-reader.ts';
import { CLINICS, TODAY, ocrPage } from './testing.ts';
const page = ocrPage([
    [['REFERRAL FORM', 300]],
    [['Patient Name', 100], ['Date of Birth', 500]],
    [['Robert Chen', 100], ['O8/14/1962', 500]],
    [['Referring Physician', 100], ['NPI', 500]],
    [['Dr Susan Miller', 100], ['1234567893', 500]],
  ], 1, 91);
const doc = buildDoc({ pages: [page], clinics: CLINICS, today: TODAY });
console.log(JSON.stringify(doc.texts[0]));
const infos = layoutLines(doc);
infos.forEach((x, i) => console.log(i, JSON.stringify(doc.lines[i]!.text), x.zone, x.section, x.heading, x.segs.map((s) => `${s.entry.slot}[${s.labelStart},${s.labelEnd}) v[${s.valueStart},${s.valueEnd}) ${s.sep}`)));
const open = readLabels(doc, infos, (c) => console.log('cand', c.field, JSON.stringify(c.value)));
console.log(open.map((o) => `${o.line} ${o.seg.entry.slot}`));
