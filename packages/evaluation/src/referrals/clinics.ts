// How referrers name the clinic they send to, per routing-policy team, and which team a record's content belongs to.

/** Real-world names for each team's clinic, as referral letters and forms write them. */
export const CLINIC_NAMES: Record<string, readonly string[]> = {
  'Allergy / Immunology': ['Allergy', 'Immunology', 'allergy clinic', 'Allergy and Immunology'],
  Bariatrics: ['Bariatric Surgery', 'weight management clinic', 'bariatric service', 'obesity clinic'],
  'Cardiovascular / Pulmonary': ['Cardiology', 'cardiac clinic', 'Cardiology Outpatients', 'heart clinic', 'chest clinic', 'Respiratory Medicine', 'Pulmonology', 'lung clinic', 'Cardiovascular Medicine'],
  Chiropractic: ['Chiropractic', 'chiropractor', 'chiropractic clinic'],
  'Cosmetic / Plastic Surgery': ['Plastic Surgery', 'plastics', 'Cosmetic Surgery', 'plastic and reconstructive surgery'],
  Dentistry: ['Dentistry', 'dental clinic', 'Orthodontics', 'dental surgery', 'oral health clinic'],
  Dermatology: ['Dermatology', 'skin clinic', 'derm clinic', 'Dermatology Outpatients'],
  'Diets and Nutritions': ['Dietetics', 'nutrition clinic', 'dietitian', 'Nutrition and Dietetics'],
  'ENT - Otolaryngology': ['ENT', 'ear, nose and throat', 'Otolaryngology', 'Otorhinolaryngology', 'ENT clinic', 'head and neck clinic'],
  Endocrinology: ['Endocrinology', 'diabetes clinic', 'thyroid clinic', 'Diabetes and Endocrinology', 'endocrine clinic'],
  Gastroenterology: ['Gastroenterology', 'GI clinic', 'gastro', 'Digestive Diseases', 'Hepatology', 'endoscopy unit'],
  'General Medicine': ['General Medicine', 'Internal Medicine', 'medical outpatients', 'general medical clinic'],
  'Hematology - Oncology': ['Haematology', 'Hematology/Oncology', 'oncology clinic', 'cancer centre', 'Medical Oncology'],
  'Hospice - Palliative Care': ['Palliative Care', 'hospice', 'supportive care team'],
  'Lab Medicine - Pathology': ['Pathology', 'laboratory medicine'],
  Nephrology: ['Nephrology', 'renal clinic', 'kidney clinic', 'Renal Medicine'],
  Neurology: ['Neurology', 'neuro clinic', 'first seizure clinic', 'headache clinic', 'TIA clinic', 'Neurology Outpatients'],
  Neurosurgery: ['Neurosurgery', 'spinal surgery', 'neurosurgical outpatients', 'spine surgery clinic'],
  'Obstetrics / Gynecology': ['Gynaecology', 'OB/GYN', 'Obstetrics and Gynecology', "women's health clinic", 'antenatal clinic', 'Gynecology'],
  Ophthalmology: ['Ophthalmology', 'eye clinic', 'eye casualty', 'Eye Department'],
  Orthopedic: ['Orthopaedics', 'Orthopedics', 'fracture clinic', 'Trauma and Orthopaedics', 'T&O', 'orthopedic surgery', 'bone and joint clinic'],
  'Pain Management': ['Pain Management', 'pain clinic', 'chronic pain service'],
  'Pediatrics - Neonatal': ['Paediatrics', 'Pediatrics', "children's clinic", 'paediatric outpatients', 'Neonatology'],
  'Physical Medicine - Rehab': ['Rehabilitation Medicine', 'PM&R', 'physiotherapy', 'physical therapy'],
  Podiatry: ['Podiatry', 'foot clinic', 'podiatric surgery'],
  'Psychiatry / Psychology': ['Psychiatry', 'mental health services', 'Community Mental Health Team', 'behavioral health', 'Psychology'],
  Radiology: ['Radiology', 'imaging department', 'X-ray department', 'diagnostic imaging'],
  Rheumatology: ['Rheumatology', 'rheumatology clinic', 'arthritis clinic'],
  'Sleep Medicine': ['Sleep Medicine', 'sleep clinic', 'sleep lab', 'sleep disorders centre'],
  'Speech - Language': ['Speech and Language Therapy', 'speech therapy', 'SLT'],
  Surgery: ['General Surgery', 'surgical outpatients', 'surgical clinic', 'Surgery'],
  Urology: ['Urology', 'urology clinic', 'stone clinic', 'haematuria clinic'],
};

/** Teams that are busy enough to be a plausible misdirection target. */
export const COMMON_TEAMS = ['Cardiovascular / Pulmonary', 'Orthopedic', 'Gastroenterology', 'Neurology', 'Urology', 'Obstetrics / Gynecology', 'ENT - Otolaryngology', 'Ophthalmology', 'Dermatology', 'General Medicine', 'Surgery', 'Endocrinology', 'Rheumatology', 'Psychiatry / Psychology'];

// Broad teams a record is also filed under; the specific one says more about where it belongs.
const GENERIC = new Set(['Surgery', 'General Medicine', 'Radiology']);

/** The content's team among a record's MTSamples specialties (those the policy has a team for). */
export function primaryTeam(specialties: readonly string[], teams: ReadonlySet<string>): string | undefined {
  const known = specialties.filter((s) => teams.has(s));
  return known.find((s) => !GENERIC.has(s)) ?? known[0];
}

// An ED complaint's likely outpatient team (first match wins); anything else goes to General Medicine.
const KTAS_TEAMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/chest|palpitat|dyspn|syncope|cough|hemoptysis|breath/, 'Cardiovascular / Pulmonary'],
  [/vaginal|pregnan|pelvic pain/, 'Obstetrics / Gynecology'],
  [/flank|dysuria|hematuria|urin|scrot|testic/, 'Urology'],
  [/abd|epigastr|ruq|rlq|luq|llq|vomit|hematemesis|melena|diarrh|nausea|periumbilical|constipat|dyspepsia/, 'Gastroenterology'],
  [/ocular|eye|visual|vision/, 'Ophthalmology'],
  [/epistaxis|throat|ear\b|ear pain|nose|tinnitus|hoarse/, 'ENT - Otolaryngology'],
  [/dizz|headache|\bha\b|dysarthria|motor weak|convuls|seizure|mental change|facial palsy|amnesia|numb|paresthes/, 'Neurology'],
  [/fracture|ankle|knee|hip|finger|wrist|shoulder|back pain|lbp|leg pain|arm pain|foot|neck pain|sprain/, 'Orthopedic'],
  [/rash|urticar|itch|skin/, 'Dermatology'],
  [/anxiety|depress|suicid|psych|insomnia/, 'Psychiatry / Psychology'],
];

/** The complaint decides; the ED diagnosis only when the complaint says nothing specific. */
export function ktasTeam(complaint: string, diagnosis = ''): string {
  const match = (text: string) => KTAS_TEAMS.find(([re]) => re.test(text.toLowerCase()))?.[1];
  return match(complaint) ?? match(diagnosis) ?? 'General Medicine';
}
