// What a label's value means, given the section of the form or letter it sits in.
import type { Sink } from './candidate.ts';
import { readDiagnoses } from './diagnoses.ts';
import type { Section, Slot } from './labels.ts';
import type { Zone } from './sections.ts';
import { candidate } from './candidate.ts';
import { evidence, ocrFactor } from './doc.ts';
import { readDate } from './dates.ts';
import { ocrDigits } from './checks.ts';
import { firstCell, rawOf, readDateValue, readId, readName, readNpi, readPhone, readPriority, readReferredTo, readSex, readText, sexOf, type ValueCtx } from './value-read.ts';

/** Confidence a label lends its value: an explicit label, a generic one placed by its section, a guess. */
export const LABEL = { specific: 0.98, placed: 0.96, guess: 0.8 } as const;

export type SlotCtx = ValueCtx & { section: Section; zone: Zone; label?: string };

const rawLabel = (c: SlotCtx) => c.label ?? '';

const at = (c: SlotCtx, base: number): SlotCtx => ({ ...c, base: c.base * base });

/** "Re: Mr John Smith, DOB ..., MRN ...": the name leads; a bare date or number after it is a guess. */
function readRe(c: SlotCtx, sink: Sink): boolean {
  const raw = rawOf(c);
  const lead = /^\s*(?:(?:urgent|routine|new|re-?)?\s*(?:referral|consultation|request)\s+(?:for|of|re:?)\s+|patient:?\s+)/i.exec(raw);
  const skip = lead ? lead[0].length : 0;
  // "Re: Cardiology referral - Thomas Baker": the name may follow a dash or colon.
  let ok = readName({ ...at(c, LABEL.specific), start: c.start + skip }, 'patientName', sink);
  for (const m of raw.matchAll(/\s[-–—]\s|:\s|,\s/g)) {
    if (ok || m.index > 60) break;
    ok = readName({ ...at(c, 0.92), start: c.start + m.index + m[0].length }, 'patientName', sink);
  }
  const text = c.doc.pages[c.page]!.source === 'ocr' ? ocrDigits(raw) : raw;
  const d = readDate(text, { kind: 'birth', today: c.doc.today, dayFirst: c.doc.dayFirst });
  if (d) sink(candidate('birthDate', d.iso, 0.8 * (d.ambiguous ? 0.96 : 1) * ocrFactor(c.doc, c.page, c.start, c.end), [evidence(c.doc, c.page, c.start + d.start, c.start + d.end)], c.source, { alts: d.alts }));
  return ok;
}

function readAgeSex(c: SlotCtx, sink: Sink): boolean {
  const raw = rawOf(c);
  const m = /^\s*\d{1,3}\s*(?:y(?:ears?|rs?)?\.?\s*(?:\/?o(?:ld)?\.?)?)?\s*[/,-]?\s*([A-Za-z]+)/.exec(raw);
  const sex = m && sexOf(m[1]!);
  if (!m || !sex) return false;
  const a = m[0].length - m[1]!.length;
  sink(candidate('sex', sex, c.base * ocrFactor(c.doc, c.page, c.start, c.end), [evidence(c.doc, c.page, c.start + a, c.start + m[0].length)], c.source));
  return true;
}

// A row of tick boxes after a label is the tick-box reader's: the first option named is not the one ticked.
const BOXED = new Set<Slot>(['priority', 'sex', 'referredTo', 'referralType', 'clinic', 'to']);
const BOX = /\[[\s_xX✓✔]?\]|[☐☒☑□■]|\(\s*[xX✓✔]?\s*\)/;

/** Reads one labelled value; false when the value was not of the slot's type. */
export function readSlot(slot: Slot, c: SlotCtx, sink: Sink): boolean {
  if (BOXED.has(slot) && BOX.test(rawOf(c))) return false;
  const s = c.section;
  const letterEdge = c.zone === 'header' || c.zone === 'signature';
  switch (slot) {
    case 'patientName':
      return readName(at(c, LABEL.specific), 'patientName', sink);
    case 'nameLastFirst':
      return readName(at(c, LABEL.specific), 'patientName', sink, { lastFirst: true });
    case 'name':
      if (s === 'patient') return readName(at(c, LABEL.placed), 'patientName', sink);
      if (s === 'referrer') return readName(at(c, LABEL.placed), 'referrerName', sink);
      return s === 'none' || s === 'clinical' ? readName(at(c, LABEL.guess), 'patientName', sink) : false;
    case 're':
      return readRe(c, sink);
    case 'birthDate':
      return readDateValue(at(c, LABEL.specific), 'birthDate', 'birth', sink);
    case 'sex':
      return readSex(at(c, LABEL.specific), sink);
    case 'ageSex':
      return readAgeSex(at(c, LABEL.specific), sink);
    case 'mrn':
      return readId(at(c, LABEL.specific), 'mrn', sink);
    case 'patientId':
      return readId(at(c, 0.88), 'mrn', sink);
    case 'nhs':
    case 'medicare':
    case 'medicaid':
    case 'ssn':
      return readId(at(c, LABEL.specific), slot, sink);
    case 'otherId':
      return readId(at(c, LABEL.specific), 'other', sink);
    case 'phone':
      if (s === 'patient') return readPhone(at(c, LABEL.placed), 'patientPhone', sink);
      if (s === 'referrer' || letterEdge) return readPhone(at(c, LABEL.placed), 'referrerPhone', sink);
      return s === 'none' ? readPhone(at(c, 0.82), 'patientPhone', sink) : false;
    case 'patientPhone':
      return readPhone(at(c, LABEL.specific), 'patientPhone', sink);
    case 'referrerPhone':
      return s === 'target' ? false : readPhone(at(c, LABEL.specific), 'referrerPhone', sink);
    case 'fax':
      if (s === 'patient' || s === 'target' || s === 'insurance' || s === 'other') return false;
      return readPhone(at(c, s === 'referrer' || letterEdge ? LABEL.placed : 0.9), 'referrerFax', sink);
    case 'referrerFax':
      return readPhone(at(c, LABEL.specific), 'referrerFax', sink);
    case 'address':
      if (s === 'patient') return readText(at(c, LABEL.placed), 'patientAddress', sink, 300);
      return s === 'none' && !letterEdge ? readText(at(c, 0.8), 'patientAddress', sink, 300) : false;
    case 'patientAddress':
      return readText(at(c, LABEL.specific), 'patientAddress', sink, 300);
    case 'payer': {
      const raw = rawOf(c).slice(0, firstCell(rawOf(c)));
      if (/^\s*[#:]?\s*[A-Z]{0,3}\d{4,}\s*$/i.test(raw)) return readId(at(c, LABEL.placed), 'other', sink, false, true);
      return readText(at(c, LABEL.specific), 'insurancePayer', sink, 120);
    }
    case 'id':
      // A bare "ID:" is the insurer's number on an insurance line; elsewhere nobody can say whose.
      return s === 'insurance' ? readId(at(c, LABEL.placed), 'other', sink, false, true) : false;
    case 'memberId':
      // The insurer's number for the patient: its own field, not one of the patient's identifiers.
      if (s === 'referrer' || s === 'target') return false;
      return readId(at(c, LABEL.specific), 'other', sink, false, true);
    case 'referrerName':
      return readName(at(c, LABEL.specific), 'referrerName', sink);
    case 'provider':
      return s === 'target' || s === 'patient' || s === 'insurance' ? false : readName(at(c, s === 'referrer' || letterEdge ? LABEL.placed : 0.82), 'referrerName', sink);
    case 'gp':
      return readName(at(c, 0.75), 'referrerName', sink);
    case 'npi':
      return s === 'target' || s === 'insurance' ? false : readNpi(at(c, s === 'patient' ? LABEL.guess : LABEL.specific), sink);
    case 'organization':
      return s === 'target' ? false : readText(at(c, s === 'referrer' || letterEdge ? LABEL.placed : 0.85), 'referrerOrganization', sink, 120);
    case 'clinic':
      if (s === 'target' || readReferredTo(at(c, LABEL.placed), sink, true)) return true;
      // A named consultant may be the author or the one asked: only a clinic in the value says which way.
      if (/consultant/i.test(rawLabel(c))) return false;
      return readText(at(c, 0.8), 'referrerOrganization', sink, 120);
    case 'referredTo':
      return readReferredTo(at(c, LABEL.specific), sink);
    case 'to':
      return readReferredTo(at(c, 0.9), sink, true);
    case 'priority':
      return readPriority(at(c, LABEL.specific), sink);
    case 'referralType':
      return readPriority(at(c, LABEL.placed), sink) || readReferredTo(at(c, LABEL.placed), sink, true);
    case 'reason':
      // "Reason for referral" says it outright; "chief complaint" or "history" is the reason as the form frames it.
      return readText(at(c, /referral|request|referring/i.test(rawLabel(c)) ? 0.97 : 0.92), 'reason', sink, 300);
    case 'reasonWeak':
      // The history is why the patient is ill, which is near but not always why they are referred.
      return readText(at(c, /histor|hpi|summary|details|information/i.test(rawLabel(c)) ? 0.75 : 0.85), 'reason', sink, 300);
    case 'followUp':
      return readReferredTo(at(c, 0.88), sink, true, true);
    case 'diagnosis':
      return readDiagnoses(at(c, 0.96), sink);
    case 'referralDate':
      return readDateValue(at(c, LABEL.specific), 'referralDate', 'event', sink);
    case 'date':
      if (s === 'clinical' || s === 'other') return false;
      return readDateValue(at(c, s === 'patient' ? 0.75 : LABEL.placed), 'referralDate', 'event', sink);
    case 'firstName':
    case 'lastName':
    case 'cityStateZip':
    case 'ignore':
      return false;
  }
}
