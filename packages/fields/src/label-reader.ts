// Values written after their labels, on the same line or running on to the next lines.
import { candidate, type Candidate, type Sink } from './candidate.ts';
import { evidence, ocrFactor, type Doc, type Line } from './doc.ts';
import type { Section, Slot } from './labels.ts';
import { LABEL_LIKE, type Segment } from './label-scan.ts';
import { readPersonName } from './names.ts';
import type { LineInfo } from './sections.ts';
import { readSlot } from './slot-read.ts';
import { readName, readText } from './value-read.ts';

/** A label with nothing after it on its line: its value, if any, is below it (see layout-reader.ts). */
export type OpenLabel = { line: number; seg: Segment; section: Section };

const MULTILINE: Partial<Record<Slot, number>> = { reason: 6, diagnosis: 8, address: 3, patientAddress: 3 };
const STREET = /^\s*(?:(?:flat|apt|unit|suite)\s+\w+,?\s+)?\d+[A-Za-z]?,?\s+[A-Z][\w'.-]*(?:\s+[\w'.-]+){0,4}\s+(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|court|ct|close|way|grove|place|pl|crescent|terrace|boulevard|blvd|row|gardens|park|hill|mews|square|walk|parkway|pkwy|circle|cir|highway|hwy)\b/i;
const ADDRESSY = /\d|\b(?:[A-Z]{2}\s+\d{5}|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|street|st|road|rd|avenue|ave|lane|ln|drive|dr|court|ct|close|way|apt|suite|unit|flat|blvd|boulevard|place|pl|crescent|terrace)\b/i;

/** How far a value runs on: following lines with no label, no heading and no blank line between. */
function continuation(doc: Doc, infos: LineInfo[], i: number, slot: Slot): number {
  const max = MULTILINE[slot];
  if (!max) return i;
  let last = i;
  for (let j = i + 1; j < doc.lines.length && j - i <= max; j++) {
    const l = doc.lines[j]!;
    const info = infos[j]!;
    if (l.page !== doc.lines[i]!.page || l.blankBefore || info.heading || info.segs.some((s) => s.labelStart <= 3) || LABEL_LIKE.test(l.text)) break;
    if (/\[[\sxX]?\]|[☐☒☑]/.test(l.text) || /^\s*(?:dear|yours|sincerely|kind regards)\b/i.test(l.text)) break;
    if ((slot === 'address' || slot === 'patientAddress') && !ADDRESSY.test(l.text) && !/^\s*[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3},?\s*$/.test(l.text)) break;
    last = j;
  }
  return last;
}

type NamePart = { page: number; section: Section; start: number; end: number; value: string; q: number; line: number };

export function readLabels(doc: Doc, infos: LineInfo[], sink: Sink): OpenLabel[] {
  const open: OpenLabel[] = [];
  const parts: Record<'firstName' | 'lastName', NamePart[]> = { firstName: [], lastName: [] };
  const towns: Town[] = [];
  const addresses: { c: Candidate; page: number; line: number }[] = [];
  infos.forEach((info, i) => {
    const line: Line = doc.lines[i]!;
    let section = info.section;
    if (!info.segs.length && section === 'patient' && info.zone !== 'signature' && STREET.test(line.text)) {
      // An address with no label, among the patient's details ("Re: Mr X / 12 Oak Street, Springfield").
      const end = doc.lines[continuation(doc, infos, i, 'patientAddress')]!.end;
      readText({ doc, page: line.page, start: line.start, end, base: 0.9, source: 'text' }, 'patientAddress', sink, 300);
    }
    const lead = info.segs[0];
    if (lead && lead.labelStart > 3 && LEADS_NAME.has(lead.entry.slot) && info.zone !== 'signature' && section !== 'referrer' && section !== 'target') {
      // "Mr Tobias Ferreira   d.o.b. 12.11.1949": the name the patient's details follow.
      readName({ doc, page: line.page, start: line.start, end: line.start + lead.labelStart, base: 0.9, source: 'text' }, 'patientName', sink);
    }
    info.segs.forEach((seg, k) => {
      const slot = seg.entry.slot;
      const lastOnLine = k === info.segs.length - 1;
      let end = line.start + seg.valueEnd;
      if (seg.valueEnd <= seg.valueStart) {
        // On a scan the word boxes say which value sits under which label; the text order may not.
        const boxed = line.ocr && (doc.words[line.page]?.length ?? 0) > 0;
        const j = lastOnLine && !boxed ? continuation(doc, infos, i, slot) : i;
        if (j > i) end = doc.lines[j]!.end;
        else if (slot !== 'ignore') open.push({ line: i, seg, section });
      } else if (lastOnLine) {
        const j = continuation(doc, infos, i, slot);
        if (j > i) end = doc.lines[j]!.end;
      }
      const start = line.start + seg.valueStart;
      if (end > start) {
        const label = line.text.slice(seg.labelStart, seg.labelEnd);
        const ctx = { doc, page: line.page, start, end, base: 1, source: 'text' as const, section, zone: info.zone, label, ...(seg.hint !== undefined && { hint: seg.hint }) };
        const raw = doc.texts[line.page]!.slice(start, end);
        if (slot === 'firstName' || slot === 'lastName') {
          const n = readPersonName(raw.split(/\t|\s{3,}/)[0]!, { lowercase: true });
          if (n) parts[slot].push({ page: line.page, section, start: start + n.start, end: start + n.end, value: n.value, q: n.quality, line: i });
        } else if (slot === 'cityStateZip') {
          const cell = raw.split(/\t|\s{3,}/)[0]!.trim();
          if (cell && !/^[_\s.-]*$/.test(cell)) towns.push({ page: line.page, line: i, start: start + raw.indexOf(cell), end: start + raw.indexOf(cell) + cell.length, text: cell });
        } else readSlot(slot, ctx, (c) => (c.field === 'patientAddress' && addresses.push({ c, page: line.page, line: i }), sink(c)));
      }
      // "Referring physician: Dr X   Phone: ..." — the phone is the physician's. In a section that is already
      // decided, only the insurer's "ID" follows its label: "Subscriber id: X | Name: Y" is still the patient's name.
      const next = info.segs[k + 1]?.entry.slot;
      const decided = info.section === 'patient' || info.section === 'referrer' || info.section === 'target' || info.section === 'insurance';
      section = seg.entry.implies && slot !== 'ignore' && (!decided || next === 'id') ? seg.entry.implies : info.section;
    });
  });
  composeNames(doc, parts, sink);
  joinTowns(doc, addresses, towns);
  return open;
}

const LEADS_NAME = new Set<Slot>(['birthDate', 'nhs', 'mrn', 'patientId', 'sex', 'ageSex', 'medicare', 'medicaid']);

type Town = { page: number; line: number; start: number; end: number; text: string };

/** "Address: 42 Elm St" then "City: Springfield  State: IL  ZIP: 62701": one address. */
function joinTowns(doc: Doc, addresses: { c: Candidate; page: number; line: number }[], towns: Town[]): void {
  for (const a of addresses) {
    const mine = towns.filter((t) => t.page === a.page && t.line > a.line - 1 && t.line <= a.line + 3 && t.start >= (a.c.evidence[0]?.end ?? 0));
    if (!mine.length || typeof a.c.value !== 'string') continue;
    a.c.value = [a.c.value, ...mine.map((t) => t.text)].join(', ');
    a.c.evidence.push(...mine.map((t) => evidence(doc, t.page, t.start, t.end)));
  }
}

/** "Last name: Smith  First name: John" → John Smith, when both sit in one part of the form. */
function composeNames(doc: Doc, parts: Record<'firstName' | 'lastName', NamePart[]>, sink: Sink): void {
  for (const last of parts.lastName) {
    const apart = (a: Section, b: Section) => a !== b && (a === 'referrer' || b === 'referrer');
    // The nearest given name in the same part of the form: forms list fields in any order.
    const first = parts.firstName
      .filter((f) => f.page === last.page && !apart(f.section, last.section) && Math.abs(f.line - last.line) <= 15)
      .sort((a, b) => Math.abs(a.line - last.line) - Math.abs(b.line - last.line))[0];
    const evs = [first, last].flatMap((p) => (p ? [evidence(doc, p.page, p.start, p.end)] : []));
    const value = first ? `${first.value} ${last.value}` : last.value;
    const q = first ? 0.96 * Math.min(1, (first.q + last.q) / 1.1) : 0.35;
    const field = last.section === 'referrer' ? 'referrerName' : 'patientName';
    if (last.section === 'target' || last.section === 'insurance' || last.section === 'other') continue;
    sink(candidate(field, value, q * ocrFactor(doc, last.page, last.start, last.end), evs));
  }
}
