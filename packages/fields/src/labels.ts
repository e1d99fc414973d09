// The labels forms and letters put before a value, by what the value is. Matching is case-, spacing- and
// OCR-tolerant (see label-scan.ts); longer phrases win over the shorter ones they contain.
import { SPECS } from './label-phrases.ts';

export type Section = 'patient' | 'referrer' | 'insurance' | 'target' | 'clinical' | 'other' | 'none';

export type Slot =
  | 'patientName' | 'firstName' | 'lastName' | 'nameLastFirst' | 'name' | 're'
  | 'birthDate' | 'sex' | 'ageSex'
  | 'mrn' | 'patientId' | 'nhs' | 'medicare' | 'medicaid' | 'ssn' | 'otherId'
  | 'phone' | 'patientPhone' | 'referrerPhone' | 'fax' | 'referrerFax'
  | 'address' | 'patientAddress' | 'cityStateZip'
  | 'payer' | 'memberId'
  | 'referrerName' | 'provider' | 'gp' | 'npi' | 'organization' | 'clinic'
  | 'referredTo' | 'to' | 'priority' | 'referralType' | 'reason' | 'reasonWeak' | 'diagnosis'
  | 'referralDate' | 'date' | 'id' | 'followUp' | 'ignore';

/**
 * `weak`: a common word that is a label only at the start of a line or cell and before a colon (Name:, Date:).
 * `typed`: may stand without a colon ("DOB 04/05/1958", "fax 555-201-3344") when a value of that type follows.
 * `implies`: the section the rest of the line belongs to (a phone after "Referring physician:" is the referrer's).
 */
export type LabelEntry = { slot: Slot; phrase: string; weak?: boolean; typed?: 'date' | 'phone' | 'id'; implies?: Section };

// Everyday words: labels only at the start of a line or cell and before a colon.
const COMMON = new Set(
  `patient sent submitted created referral consult consultation admitted discharged admission discharge pain
   arrival attending first last history question request problem reason concern symptoms indication surgery
   office hospital practice facility institution organization organisation service department dept specialist
   consultant destination referring from author sender referrer urgent triage impression dx dated street city
   state zip town county cell mobile mob signed signature physician doctor provider clinician practitioner
   carrier insurance age time page results plan exam ward room bed race ref reference group onset relationship
   subscriber language meds medication medications allergies allergy pharmacy web website labs mother father
   guardian carer employer occupation priority urgency diagnosis`.split(/\s+/),
);

export const LABELS: LabelEntry[] = SPECS.map(([slot, phrase, o]) => ({
  slot,
  phrase,
  ...o,
  ...((COMMON.has(phrase) || phrase.length <= 2) && { weak: true }),
}));
