import { loadPolicy } from '@triage/routing';
import { extractFields } from '@triage/fields';
const policy = loadPolicy('/work/main/policy/routing-policy.json');
const LETTER = `Dear Cardiology colleagues,
Re: Mr John Smith, DOB 04/05/1958, MRN 4455123
I would be grateful if you could see this 66-year-old man with a three-week history of exertional chest
tightness radiating to the left arm ... ECG today shows ST depression in V4-V6 ... Please see urgently.
Dr A. Patel, Riverside Family Practice, NPI 1234567893, fax 555-201-3344`;
const r = extractFields({ pages: [{ pageNo: 1, text: LETTER, source: 'plain' }], clinics: policy.clinics, today: new Date('2024-06-01') });
for (const [k, f] of Object.entries(r.fields)) console.log(k, JSON.stringify(f.value), f.confidence, f.source, f.evidence.map((e) => JSON.stringify(LETTER.slice(e.start, e.end))).join(' | '), f.conflicts ? 'CONFLICTS ' + JSON.stringify(f.conflicts) : '');
