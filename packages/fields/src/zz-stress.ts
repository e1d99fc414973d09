import { extractFields } from './extract.ts';
import { CLINICS, plain } from './testing.ts';
const cases: Record<string, string> = {
  empty: '',
  spaces: ' '.repeat(50000),
  letters: 'a'.repeat(50000),
  dots: '.'.repeat(20000) + '\n' + '. '.repeat(10000),
  labels: 'Name: '.repeat(5000),
  digits: '1/'.repeat(10000),
  boxes: '[ ] '.repeat(5000) + '[X] Urgent',
  mixed: ('Patient Name: John Smith   DOB: 04/05/1958   Phone: 555-201-3344\n').repeat(300),
  longline: ('word ').repeat(20000),
  dashes: '- '.repeat(20000),
  tabs: '\t'.repeat(20000) + 'x',
  parens: '('.repeat(10000),
  sentences: 'Please see urgently. Not urgent. Routine. '.repeat(1000),
};
for (const [k, t] of Object.entries(cases)) {
  const a = performance.now();
  const r = extractFields({ pages: [plain(t)], clinics: CLINICS });
  console.log(k, t.length, (performance.now() - a).toFixed(1), 'ms', Object.keys(r.fields).join(','));
}
