// The phrases of every label, by slot: what forms and letters write before a value. Longer phrases win.
import type { LabelEntry, Slot } from './labels.ts';

export type Spec = [Slot, string, Partial<Omit<LabelEntry, 'slot' | 'phrase'>>?];
const P: Partial<LabelEntry> = { implies: 'patient' };
const R: Partial<LabelEntry> = { implies: 'referrer' };
const I: Partial<LabelEntry> = { implies: 'insurance' };

const list = (slot: Slot, phrases: string, o: Partial<LabelEntry> = {}): Spec[] => phrases.split('|').map((p) => [slot, p.trim(), o]);

export const SPECS: Spec[] = [
  ...list(
    'patientName',
    `patient name|patient's name|name of patient|pt name|pt. name|patient full name|patient legal name|
      full name|client name|patient`,
    P,
  ),
  ...list(
    'nameLastFirst',
    `surname/first name|surname, first name|last name, first name|last, first|name (last, first)|
      patient name (last, first)|surname/forename|surname, forename|family name, given name`,
    P,
  ),
  ...list('firstName', 'first name|given name|given names|forename|forenames|patient first name|first', P),
  ...list('lastName', 'last name|surname|family name|patient last name|patient surname|last', P),
  ['name', 'name', { weak: true }],
  ['re', 're', { weak: true, implies: 'patient' }],
  ['re', 'regarding', { weak: true, implies: 'patient' }],
  ...list(
    'birthDate',
    `date of birth|dob|d.o.b|d.o.b.|d/o/b|birth date|birthdate|born|patient dob|pt dob|
      date of birth (mm/dd/yyyy)|date of birth (dd/mm/yyyy)`,
    { typed: 'date', implies: 'patient' },
  ),
  ...list('sex', 'sex|gender|sex/gender|gender/sex|birth sex|sex at birth|legal sex', P),
  ...list('ageSex', 'age/sex|age/gender|age & sex|age and sex|age/s', P),
  ...list(
    'mrn',
    `mrn|mrn#|mr#|mr #|mr no|medical record number|medical record no|medical record #|medical record|
      med rec #|med rec no|med rec|record number|record no|record #|rec #|rec no|chart number|chart #|
      chart no|hospital number|hospital no|hosp no|hosp #|hospital id|unit number|unit no|emr #|
      emr number|ehr #`,
    { typed: 'id', implies: 'patient' },
  ),
  ...list('patientId', 'patient id|patient number|patient no|pt id|patient #|id number|client id', P),
  ...list('nhs', 'nhs number|nhs no|nhs #|nhs', { typed: 'id', implies: 'patient' }),
  ...list('otherId', 'chi number|chi no|health card number|health card|ohip|ihi|iqama|national id', P),
  ...list('medicare', 'medicare number|medicare no|medicare id|medicare #|mbi|hicn|medicare beneficiary identifier', { typed: 'id' }),
  ['medicare', 'medicare', { weak: true, typed: 'id' }],
  ['medicaid', 'medicaid', { weak: true, typed: 'id' }],
  ...list('medicaid', 'medicaid number|medicaid no|medicaid id|medicaid #', { typed: 'id' }),
  ...list(
    'ssn',
    `ssn|social security number|social security no|social security #|ss#|soc sec #|social security`,
    { typed: 'id', implies: 'patient' },
  ),
  ...list(
    'phone',
    `phone|telephone|tel|tel no|tel.|telephone number|telephone no|phone number|phone no|phone #|ph|ph#|
      contact number|contact no|contact phone|home phone|home tel|cell|cell phone|cellphone|mobile|
      mobile number|mobile no|mob|daytime phone|work phone|best contact number|best phone|
      best contact phone|best number|primary phone|t|p`,
    { typed: 'phone' },
  ),
  ...list(
    'patientPhone',
    `patient phone|pt phone|patient telephone|patient tel|patient contact number|patient mobile|
      patient cell|patient phone number`,
    { typed: 'phone', implies: 'patient' },
  ),
  ...list(
    'referrerPhone',
    `office phone|practice phone|clinic phone|provider phone|physician phone|referring phone|
      doctor phone|office tel|surgery tel|practice tel|practice telephone|referrer phone|
      referring physician phone|referring provider phone|office number|direct line|bleep|ward tel|
      ward phone|ward telephone|switchboard|reception|department phone|dept phone|dept tel|unit phone|
      hospital phone|hospital tel|clinic tel|secretary|secretary tel|medical secretary|
      practice phone number|office telephone|surgery phone|surgery telephone|referrer tel|
      referrer telephone|referring tel|referring telephone|practice tel no|gp tel|gp phone|doctor tel|
      physician tel|provider tel|office ph|practice ph|callback|call back|call-back|callback number|
      return call|queries`,
    { typed: 'phone', implies: 'referrer' },
  ),
  ...list('fax', 'fax|fax number|fax no|fax #|facsimile|f|fx', { typed: 'phone' }),
  ...list(
    'referrerFax',
    `office fax|practice fax|provider fax|referring fax|return fax|reply fax|fax back|fax results to|
      physician fax|referrer fax|referring physician fax|referring provider fax|clinic fax|secure fax|
      gp fax|surgery fax|doctor fax|provider fax number|office fax number`,
    { typed: 'phone', implies: 'referrer' },
  ),
  ...list('address', 'address|home address|street address|mailing address|addr|residence|street', { weak: true }),
  ...list('patientAddress', 'patient address|pt address|patient home address', P),
  ...list(
    'cityStateZip',
    `city/state/zip|city, state, zip|city state zip|city, state zip|city|state|zip|zip code|postcode|
      post code|town|county`,
  ),
  ...list(
    'payer',
    `insurance|insurance company|insurance name|insurance carrier|insurance provider|insurer|payer|payor|
      health plan|plan name|primary insurance|carrier|health insurance|insurance plan|insurance/payer|
      payer name|medical aid|funding`,
    I,
  ),
  ...list(
    'memberId',
    `member id|member #|member number|member no|subscriber id|subscriber #|subscriber number|
      policy number|policy #|policy no|policy id|insurance id|insurance #|insurance number|plan id|
      medical id|membership number|id #|id no|member/subscriber id`,
    { typed: 'id', implies: 'insurance' },
  ),
  ...list(
    'referrerName',
    `referring physician|referring provider|referring doctor|referring clinician|referring practitioner|
      referring md|referring dr|referring gp|referring consultant|referring physician name|
      referring provider name|referred by|referral from|referral source|referrer|referrer name|
      requesting physician|requesting clinician|requesting provider|requesting doctor|requested by|
      ordering physician|ordering provider|from|signed by|electronically signed by|dictated by|author|
      sender|referring clinician name|referring|responsible clinician|responsible consultant|
      responsible physician|discharging clinician|discharging doctor|discharging physician|
      discharging consultant|attending physician|attending|treating physician|treating clinician|
      clinician name|doctor name|from dr`,
    R,
  ),
  ...list('provider', 'physician|doctor|provider|provider name|physician name|clinician|practitioner|signed|signature', { weak: true }),
  ...list(
    'gp',
    `gp|general practitioner|usual gp|registered gp|gp name|pcp|primary care physician|
      primary care provider|family doctor|family physician`,
    R,
  ),
  ...list(
    'npi',
    `npi|npi #|npi#|npi number|npi no|provider npi|referring npi|national provider identifier|
      physician npi|prescriber npi|individual npi|referring provider npi|referring physician npi`,
    { typed: 'id', implies: 'referrer' },
  ),
  ...list(
    'organization',
    `practice|practice name|organization|organisation|facility|facility name|referring practice|
      referring facility|referring clinic|referring organization|referring organisation|practice/clinic|
      group practice|surgery|institution|office|office name|hospital|practice address`,
    R,
  ),
  ...list('clinic', 'clinic|clinic name', { weak: true }),
  ...list(
    'referredTo',
    `refer to|referred to|referral to|referring to|specialty|specialty requested|speciality|
      speciality requested|requested specialty|service requested|requested service|consult requested|
      consultation requested|specialist|to see|clinic requested|consult to|referred to specialty|
      specialty required|appointment with|department|dept|service|referral for|referred for|destination|
      receiving clinic|receiving service`,
    { implies: 'target' },
  ),
  ['clinic', 'consultant', { weak: true }],
  ...list(
    'followUp',
    `follow-up|follow up|follow-up arrangements|follow up arrangements|plan for follow-up|
      onward referral|referred on to|recommendations`,
  ),
  ['to', 'to', { weak: true, implies: 'target' }],
  ['to', 'attn', { weak: true, implies: 'target' }],
  ['to', 'attention', { weak: true, implies: 'target' }],
  ...list(
    'priority',
    `priority|urgency|urgency level|priority level|triage|triage category|referral priority|
      referral urgency|appointment priority|request priority|priority status|level of urgency|
      clinical urgency|urgent`,
  ),
  ...list('referralType', 'referral type|type of referral|request type|appointment type|type of request|referral|consult|consultation'),
  ...list(
    'reasonWeak',
    `reason for admission|reason for attendance|presenting with|complaint|brief history|clinical history|
      history|history of presenting complaint|hpi|history of present illness|clinical summary|summary|
      clinical details|clinical information`,
    { implies: 'clinical' },
  ),
  ...list(
    'reason',
    `reason for referral|reason for consult|reason for consultation|reason for visit|referral reason|
      reason|clinical question|question|presenting complaint|chief complaint|presenting problem|
      indication|indications|reason for request|reason for appointment|consult reason|purpose of referral|
      problem|symptoms|concern|request|reason for the referral|referral question`,
    { implies: 'clinical' },
  ),
  ...list(
    'diagnosis',
    `diagnosis|diagnoses|dx|diagnosis/icd-10|diagnosis/icd10|diagnosis (icd-10)|diagnosis code|
      diagnosis codes|icd-10|icd10|icd-10 code|icd-10 codes|icd-10-cm|icd code|icd codes|icd|
      working diagnosis|provisional diagnosis|primary diagnosis|secondary diagnosis|impression|
      problem list|diagnosis/reason|suspected diagnosis|principal diagnosis|discharge diagnosis|
      discharge diagnoses|final diagnosis|admitting diagnosis|main diagnosis|clinical diagnosis|
      differential diagnosis|diagnosis codes (icd-10)`,
    { implies: 'clinical' },
  ),
  ...list(
    'referralDate',
    `referral date|date of referral|date referred|referred on|date sent|date of request|request date|
      letter date|dated|date signed|date of letter|referral sent|sent|sent on|date/time sent|submitted|
      date submitted|requested on|created`,
    { typed: 'date' },
  ),
  ['date', 'date', { weak: true, typed: 'date' }],
  ['id', 'id', { weak: true }],
  ...list(
    'ignore',
    `admitted|discharged|admission|discharge|date admitted|date discharged|length of stay|mental status|
      pain|vital signs|observations|triage time|arrival|mode of arrival|date of injury|doi|date of onset|
      onset|onset date|date of service|dos|appointment date|appt date|date of admission|admission date|
      discharge date|date of discharge|last seen|date last seen|date of last visit|last visit|age|height|
      weight|bmi|bp|blood pressure|pulse|allergies|allergy|medications|current medications|medication|
      meds|email|e-mail|group number|group #|group no|group|subscriber|subscriber name|policy holder|
      policyholder|relationship|relationship to patient|guarantor|emergency contact|next of kin|nok|
      language|interpreter|ethnicity|race|marital status|occupation|employer|time|ward|room|bed|cc|
      copy to|attachments|enclosures|pharmacy|authorization|authorization #|auth #|prior authorization|
      tax id|tin|dea|license|upin|ref|our ref|your ref|reference|page|past medical history|pmh|
      examination|exam|investigations|results|plan|social history|family history|vitals|smoking|alcohol|
      website|web|parent/guardian|guardian|mother|father|carer|caregiver|signature date|date of exam|
      date of test|test date|ecg|x-ray|labs|laboratory`,
  ),
];
