import { extractFields } from './extract.ts';
import { CLINICS, TODAY, plain } from './testing.ts';
const r = extractFields({ pages: [plain('REFERRAL FORM\nPatient Name:\nDate of birth:\nSex:   M   F\nReason:\n')], acroform: [{ name: 'Sex', page: 1, kind: 'radio', value: 'F', options: ['M', 'F'] }], clinics: CLINICS, today: TODAY });
console.log(JSON.stringify(r.fields.sex));
