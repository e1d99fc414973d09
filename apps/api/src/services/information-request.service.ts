import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { FieldName, ReferralFields } from '@triage/contracts';

/** What a referrer is asked for, in words a practice understands. */
export const FIELD_LABELS: Record<FieldName, string> = {
  patientName: "Patient's full name",
  birthDate: "Patient's date of birth",
  sex: "Patient's sex",
  mrn: 'Medical record number',
  identifiers: 'Patient identifiers',
  patientPhone: "Patient's phone number",
  patientAddress: "Patient's address",
  insurancePayer: 'Insurance (payer)',
  insuranceMemberId: 'Insurance member ID',
  referrerName: 'Referring clinician',
  referrerNpi: "Referring clinician's NPI",
  referrerOrganization: 'Referring practice',
  referrerPhone: "Referring practice's phone",
  referrerFax: "Referring practice's fax",
  referredTo: 'Clinic or specialty referred to',
  statedPriority: 'Priority (routine, urgent or emergency)',
  reason: 'Reason for referral',
  diagnoses: 'Diagnoses',
  referralDate: 'Date of referral',
};

export type InformationRequest = { documentId: string; receivedAt: Date; fields: ReferralFields; missing: FieldName[]; conflicts: FieldName[] };

/** One page, fax-legible (large plain type, black on white): who it is for, which referral, exactly what is needed. */
export async function informationRequestPdf(r: InformationRequest): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Request for information');
  pdf.setProducer('referral triage');
  const page = pdf.addPage([612, 792]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let y = 740;
  const line = (text: string, opts: { size?: number; bold?: boolean; gap?: number } = {}) => {
    // Standard fonts encode WinAnsi only: anything else would throw, so it is replaced, not dropped silently.
    const safe = text.replace(/[^\x20-\x7e\u00a0-\u00ff]/g, '?');
    page.drawText(safe, { x: 56, y, size: opts.size ?? 12, font: opts.bold ? bold : font, color: rgb(0, 0, 0) });
    y -= opts.gap ?? (opts.size ?? 12) + 8;
  };
  const f = r.fields;
  line('REQUEST FOR INFORMATION', { size: 18, bold: true, gap: 32 });
  line(`To: ${[f.referrerName?.value, f.referrerOrganization?.value].filter(Boolean).join(', ') || 'The referring clinician'}`);
  line(`Fax: ${f.referrerFax?.value ?? 'not given on the referral'}`);
  if (f.referrerPhone?.value) line(`Phone: ${f.referrerPhone.value}`);
  y -= 8;
  line(`Re: ${f.patientName?.value ?? 'patient name not given'}${f.birthDate?.value ? `, born ${f.birthDate.value}` : ''}`, { bold: true });
  line(`Referral received ${r.receivedAt.toISOString().slice(0, 10)}, reference ${r.documentId}`);
  y -= 12;
  line('Thank you for your referral. Before it can be booked we need the following:', { gap: 24 });
  for (const m of r.missing) line(`[  ]  ${FIELD_LABELS[m]} - missing`);
  for (const c of r.conflicts) line(`[  ]  ${FIELD_LABELS[c]} - the referral gives two different values; please confirm which is right`);
  y -= 16;
  line('Please fax the missing information back quoting the reference above.', { gap: 20 });
  line('The referral is held, not declined, while we wait for it.');
  return Buffer.from(await pdf.save());
}
