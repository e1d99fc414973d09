// Made-up patients and referrers, built from syllables in code: no name, phone or address belongs to anyone.
import { makeMbi, makeMedicaidId, makeMemberId, makeMrn, makeNhsNumber, makeNpi } from './identifiers.ts';
import type { Draw } from './random.ts';

export type Locale = 'uk' | 'us';
export type Sex = 'female' | 'male';
export type PersonName = { given: string; middle?: string; family: string };
/** A phone number in parts; formatting happens per document. */
export type Phone = { locale: Locale; area: string; local: [string, string] };
export type Address = { line1: string; line2?: string; town: string; region?: string; postcode: string };

export type Patient = {
  name: PersonName;
  sex: Sex;
  birthDate: string;
  mrn: string;
  nhsNumber?: string;
  phone: Phone;
  address: Address;
  insurance?: { payer: string; memberId: string; medicare?: string; medicaid?: string };
};

export type Referrer = {
  name: PersonName;
  title: string;
  postNominals: string;
  npi?: string;
  organization: string;
  orgAddress: Address;
  phone: Phone;
  fax: Phone;
};

const ONSETS = ['b', 'br', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 'sh', 't', 'th', 'v', 'w', 'z', 'tr', 'gr', 'el', 'an', 'or'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'io', 'ou', 'y'];
const CODAS = ['', '', 'n', 'r', 'l', 's', 'nd', 'rt', 'm', 'v'];
const FEMALE_ENDS = ['a', 'ia', 'elle', 'ine', 'ana', 'ette', 'ira', 'ella', 'yn'];
const MALE_ENDS = ['an', 'or', 'el', 'us', 'o', 'ik', 'en', 'ard', 'on'];
const FAMILY_ENDS = ['ton', 'well', 'ard', 'sen', 'by', 'more', 'wick', 'ley', 'stead', 'ford', 'ez', 'ak', 'ini', 'berg'];
const PLACE_ENDS = ['ton', 'field', 'bury', 'ford', 'ville', 'wick', 'ham', 'mouth', 'dale'];
const STREET_ENDS = { uk: ['Road', 'Street', 'Lane', 'Close', 'Avenue', 'Grove', 'Crescent', 'Way'], us: ['Street', 'St', 'Avenue', 'Ave', 'Road', 'Rd', 'Drive', 'Dr', 'Lane', 'Court', 'Blvd'] };
const STATES = ['AL', 'AZ', 'CA', 'CO', 'FL', 'GA', 'IL', 'MA', 'MI', 'MN', 'NC', 'NY', 'OH', 'OR', 'PA', 'TX', 'VA', 'WA', 'WI'];
const COUNTIES = ['Westshire', 'Northmoor', 'Eastvale', 'Southdown'];
const US_PAYERS = ['Aetna', 'UnitedHealthcare', 'Cigna', 'Humana', 'Blue Cross Blue Shield', 'Kaiser Permanente', 'Northwind Health Plan', 'Medicare', 'Medicaid', 'Tricare'];
const UK_PAYERS = ['Bupa', 'AXA Health', 'Vitality Health', 'Aviva'];

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const syllable = (d: Draw) => `${d.pick(ONSETS)}${d.pick(VOWELS)}${d.pick(CODAS)}`;

export function givenName(d: Draw, sex: Sex): string {
  const end = d.pick(sex === 'female' ? FEMALE_ENDS : MALE_ENDS);
  const join = /^[aeiou]/.test(end) && d.chance(0.4) ? d.pick(ONSETS.slice(0, 22)) : '';
  return cap(`${syllable(d)}${join}${end}`);
}

export function familyName(d: Draw): string {
  const one = () => {
    const end = d.pick(FAMILY_ENDS);
    // A joining consonant only before a vowel, so names stay pronounceable.
    return cap(`${syllable(d)}${/^[aeiou]/.test(end) && d.chance(0.6) ? d.pick(ONSETS.slice(0, 22)) : ''}${end}`);
  };
  return d.chance(0.06) ? `${one()}-${one()}` : one();
}

export function personName(d: Draw, sex: Sex): PersonName {
  const name: PersonName = { given: givenName(d, sex), family: familyName(d) };
  if (d.chance(0.25)) name.middle = givenName(d, d.chance(0.8) ? sex : sex === 'female' ? 'male' : 'female');
  return name;
}

export const placeName = (d: Draw) => cap(`${syllable(d)}${d.pick(PLACE_ENDS)}`);

/** Numbers in ranges set aside for fiction: US 555-01xx, UK Ofcom drama ranges. */
export function phone(d: Draw, locale: Locale): Phone {
  if (locale === 'us') return { locale, area: String(d.int(201, 989)), local: ['555', `01${d.digits(2)}`] };
  return d.pick<() => Phone>([
    () => ({ locale, area: '01632', local: ['960', d.digits(3)] }),
    () => ({ locale, area: '020', local: ['7946', `0${d.digits(3)}`] }),
    () => ({ locale, area: '07700', local: ['900', d.digits(3)] }),
    () => ({ locale, area: '0113', local: ['496', `0${d.digits(3)}`] }),
  ])();
}

const ukPostcode = (d: Draw) => {
  const L = () => d.pick([...'ABCDEFGHJKLMNPRSTWXY']);
  return `${L()}${L()}${d.int(1, 29)} ${d.int(1, 9)}${L()}${L()}`;
};

export function address(d: Draw, locale: Locale): Address {
  const street = `${cap(`${syllable(d)}${d.pick(['wood', 'field', 'grove', 'moor', 'brook', 'hill', 'gate'])}`)} ${d.pick(STREET_ENDS[locale])}`;
  if (locale === 'uk') {
    const a: Address = { line1: `${d.int(1, 240)} ${street}`, town: placeName(d), postcode: ukPostcode(d) };
    if (d.chance(0.3)) a.line2 = d.pick(['Flat 2', 'Flat 4B', 'The Old Mill', 'Rose Cottage']);
    if (d.chance(0.4)) a.region = d.pick(COUNTIES);
    return a;
  }
  const a: Address = { line1: `${d.int(10, 9899)} ${street}`, town: placeName(d), region: d.pick(STATES), postcode: d.digits(5) };
  if (d.chance(0.25)) a.line2 = d.pick(['Apt 3', 'Apt 12C', 'Unit 5', 'Suite 210']);
  return a;
}

/** A date of birth `age` years before `on` (ISO), with a random day within that year of age. */
export function birthDateFor(d: Draw, age: number, on: Date): string {
  const dob = new Date(Date.UTC(on.getUTCFullYear() - age, on.getUTCMonth(), on.getUTCDate()) - d.int(1, 364) * 86_400_000);
  return dob.toISOString().slice(0, 10);
}

export function makePatient(d: Draw, locale: Locale, sex: Sex, age: number, referralDate: Date): Patient {
  const p: Patient = {
    name: personName(d, sex),
    sex,
    birthDate: birthDateFor(d, age, referralDate),
    mrn: makeMrn(d),
    phone: phone(d, locale),
    address: address(d, locale),
  };
  if (locale === 'uk') {
    p.nhsNumber = makeNhsNumber(d);
    if (d.chance(0.1)) p.insurance = { payer: d.pick(UK_PAYERS), memberId: makeMemberId(d) };
  } else {
    const payer = age >= 65 && d.chance(0.6) ? 'Medicare' : d.pick(US_PAYERS);
    const mbi = makeMbi(d);
    p.insurance =
      payer === 'Medicare'
        ? { payer, memberId: mbi, medicare: mbi }
        : payer === 'Medicaid'
          ? { payer, memberId: makeMedicaidId(d) }
          : { payer: payer === 'Blue Cross Blue Shield' && d.chance(0.5) ? `${payer} of ${d.pick(STATES)}` : payer, memberId: makeMemberId(d) };
    if (payer === 'Medicaid') p.insurance.medicaid = p.insurance.memberId;
  }
  return p;
}

export function organisationName(d: Draw, locale: Locale, hospital = false): string {
  const town = placeName(d);
  if (hospital) return d.pick([`${town} General Hospital`, `${town} Royal Infirmary`, `St ${givenName(d, 'male')}'s Hospital`, `${town} Medical Center`]);
  const uk = [`${town} Health Centre`, `${familyName(d)} Road Surgery`, `The ${town} Practice`, `${town} Medical Practice`];
  const us = [`${town} Family Practice`, `${familyName(d)} & ${familyName(d)} Medical Group`, `${town} Internal Medicine Associates`, `${town} Community Clinic`];
  return d.pick(locale === 'uk' ? uk : us);
}

export function makeReferrer(d: Draw, locale: Locale, hospital = false): Referrer {
  const sex: Sex = d.chance(0.5) ? 'female' : 'male';
  const nurse = locale === 'us' && !hospital && d.chance(0.12);
  const r: Referrer = {
    name: personName(d, sex),
    title: nurse ? '' : d.pick(['Dr', 'Dr.', 'Dr', 'Doctor']),
    postNominals: nurse ? d.pick(['NP', 'PA-C', 'FNP-C']) : locale === 'uk' ? d.pick(['MBBS MRCGP', 'MBChB', 'BM BCh MRCGP', 'MB ChB FRCP', '']) : d.pick(['MD', 'DO', 'MD, FACP', 'MD']),
    organization: organisationName(d, locale, hospital),
    orgAddress: address(d, locale),
    phone: phone(d, locale),
    fax: phone(d, locale),
  };
  if (locale === 'us') r.npi = makeNpi(d);
  return r;
}
