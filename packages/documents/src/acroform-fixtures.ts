/**
 * Generated and filled AcroForms for tests and the evaluation generator. pdf-lib loads on first
 * use (see fixtures.ts), and only trusted, generated or vetted PDFs belong here: this parses in
 * the calling thread, unlike readAcroForm.
 */
import type { PDFField, PDFPage } from 'pdf-lib';
import { toWinAnsi } from './fixtures.ts';

export type AcroFormFieldSpec = { name: string; kind: 'text' | 'checkbox'; label: string; value?: string | boolean };

const PAGE = { width: 612, height: 792, margin: 72 };
const ROW_PT = 26;
const LABEL_PT = 11;
const FIELD_X = 300;

/**
 * A letter-size form: one row per spec, its label drawn as page text (the text layer) and a
 * real text field or check box beside it, filled with `value`. Rows flow onto further pages.
 */
export async function makeAcroFormPdf(spec: AcroFormFieldSpec[]): Promise<Buffer> {
  const lib = await import('pdf-lib');
  const { PDFDocument, StandardFonts } = lib;
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const form = doc.getForm();
  const perPage = Math.floor((PAGE.height - 2 * PAGE.margin) / ROW_PT);
  let page: PDFPage | undefined;
  spec.forEach((s, i) => {
    if (i % perPage === 0) page = doc.addPage([PAGE.width, PAGE.height]);
    const y = PAGE.height - PAGE.margin - ((i % perPage) + 1) * ROW_PT;
    page!.drawText(toWinAnsi(s.label), { x: PAGE.margin, y: y + 5, size: LABEL_PT, font });
    if (s.kind === 'text') {
      form.createTextField(s.name).addToPage(page!, { x: FIELD_X, y, width: PAGE.width - PAGE.margin - FIELD_X, height: 20, font });
    } else {
      form.createCheckBox(s.name).addToPage(page!, { x: FIELD_X, y: y + 3, width: 14, height: 14 });
    }
    if (s.value !== undefined) setValue(lib, form.getField(s.name), s.value);
  });
  return Buffer.from(await doc.save());
}

/**
 * A copy of `pdf` with its fields set: text (and radio / dropdown options) from strings, check
 * boxes from booleans. An unknown name or a value of the wrong type throws. `flatten` burns the
 * values into the page content and removes the form, as "print to PDF" does.
 */
export async function fillAcroForm(pdf: Buffer, values: Record<string, string | boolean>, opts: { flatten?: boolean } = {}): Promise<Buffer> {
  const lib = await import('pdf-lib');
  const doc = await lib.PDFDocument.load(pdf, { updateMetadata: false });
  const form = doc.getForm();
  for (const [name, value] of Object.entries(values)) setValue(lib, form.getField(name), value);
  if (opts.flatten) form.flatten();
  return Buffer.from(await doc.save());
}

// Values go through toWinAnsi like labels: pdf-lib draws the field appearances in Helvetica.
function setValue(lib: typeof import('pdf-lib'), field: PDFField, value: string | boolean): void {
  if (field instanceof lib.PDFTextField && typeof value === 'string') return field.setText(toWinAnsi(value));
  if (field instanceof lib.PDFCheckBox && typeof value === 'boolean') return value ? field.check() : field.uncheck();
  const choice = field instanceof lib.PDFRadioGroup || field instanceof lib.PDFDropdown || field instanceof lib.PDFOptionList;
  if (choice && typeof value === 'string') return field.select(value);
  throw new TypeError(`cannot set ${field.constructor.name} "${field.getName()}" to a ${typeof value}`);
}
