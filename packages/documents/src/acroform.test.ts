import { existsSync, readFileSync } from 'node:fs';
import { sharedPath } from '@triage/testkit';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fillAcroForm, makeAcroFormPdf } from './acroform-fixtures.ts';
import type { AcroFormFieldSpec } from './acroform-fixtures.ts';
import { DocumentError } from './errors.ts';
import { makeBornDigitalPdf, makeScanPng } from './fixtures.ts';
import { closeDocumentWorkers, extractPages, readAcroForm } from './isolate.ts';
import type { AcroField } from './types.ts';


const limits = { timeoutMs: 20_000, maxMemoryMb: 256 };
const extractLimits = { ...limits, maxPages: 200, minTextChars: 20, maxPagePixels: 60_000_000, maxDocumentPixels: 400_000_000, renderDpi: 200, maxTextChars: 1_000_000 };
const TSAI = sharedPath('datasets', 'referral-forms', 'born_digital', 'tsai-orthodontics-referral-form.pdf');

async function failure(p: Promise<unknown>): Promise<DocumentError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DocumentError);
  return err as DocumentError;
}

/** 30 rows: 24 fit on a page, so the last 6 are on page 2. */
const SPEC: AcroFormFieldSpec[] = Array.from({ length: 30 }, (_, i) =>
  i % 3 === 2
    ? { name: `flag_${i}`, kind: 'checkbox', label: `Flag ${i}`, ...(i % 2 ? { value: true } : i % 4 ? {} : { value: false }) }
    : { name: `text_${i}`, kind: 'text', label: `Question ${i}:`, ...(i % 5 === 4 ? {} : { value: `Answer ${i}, Mr O'Brien` }) },
);
const expected = (spec: AcroFormFieldSpec[]): AcroField[] =>
  spec.map((s, i) => {
    const page = i < 24 ? 1 : 2;
    if (s.kind === 'text') return { name: s.name, page, kind: 'text', value: typeof s.value === 'string' ? s.value : null };
    return { name: s.name, page, kind: 'checkbox', value: s.value === true ? 'Yes' : null, checked: s.value === true };
  });

/** Runs `edit` on the loaded PDF and saves it again. */
async function edited(pdf: Buffer, edit: (doc: PDFDocument) => void): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf);
  edit(doc);
  return Buffer.from(await doc.save());
}

const fieldsArray = (doc: PDFDocument) => doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).lookup(PDFName.of('Fields'), PDFArray);

afterAll(() => closeDocumentWorkers());

describe('readAcroForm', () => {
  it('round-trips a generated form: text, check boxes and pages', async () => {
    const pdf = await makeAcroFormPdf(SPEC);
    expect(await readAcroForm(pdf, limits)).toEqual(expected(SPEC));
    // the reason to read forms at all: the values are not in the text layer, the labels are
    const text = (await extractPages(pdf, 'pdf', extractLimits)).map((p) => p.text).join('\n');
    expect(text).toContain('Question 0:');
    expect(text).not.toContain('Answer 0');
  });

  it('finds the page from the page’s /Annots when a widget has no /P', async () => {
    const pdf = await edited(await makeAcroFormPdf(SPEC), (doc) => {
      for (const field of doc.getForm().getFields()) for (const w of field.acroField.getWidgets()) w.dict.delete(PDFName.of('P'));
      // and one widget that no page lists at all
      doc.getPage(1).node.Annots()!.remove(0);
    });
    const pages = (await readAcroForm(pdf, limits)).map((f) => f.page);
    expect(pages).toEqual(expected(SPEC).map((f, i) => (i === 24 ? null : f.page)));
  });

  it('reads back what fillAcroForm wrote, and nothing once it is flattened', async () => {
    const blank = await makeAcroFormPdf(SPEC.map(({ value: _, ...s }) => s));
    const values = { text_0: 'Referral for crowding', flag_2: true, text_28: 'Dr Ama Mensah' };
    const fields = await readAcroForm(await fillAcroForm(blank, values), limits);
    expect(fields.find((f) => f.name === 'text_0')).toMatchObject({ value: 'Referral for crowding', page: 1 });
    expect(fields.find((f) => f.name === 'flag_2')).toMatchObject({ checked: true, value: 'Yes' });
    expect(fields.find((f) => f.name === 'text_28')).toMatchObject({ value: 'Dr Ama Mensah', page: 2 });
    expect(fields.filter((f) => f.value !== null)).toHaveLength(3);

    const flat = await fillAcroForm(blank, values, { flatten: true });
    expect(await readAcroForm(flat, limits)).toEqual([]);
    const text = (await extractPages(flat, 'pdf', extractLimits)).map((p) => p.text).join('\n');
    expect(text).toContain('Referral for crowding');
  });

  it('refuses values of the wrong type or for unknown fields when filling', async () => {
    const blank = await makeAcroFormPdf(SPEC.slice(0, 3));
    await expect(fillAcroForm(blank, { text_0: true })).rejects.toThrow(TypeError);
    await expect(fillAcroForm(blank, { nope: 'x' })).rejects.toThrow();
  });

  it.skipIf(!existsSync(TSAI))('reads back the real Tsai Orthodontics form filled with a made-up patient', async () => {
    const form = readFileSync(TSAI);
    const blank = await readAcroForm(form, limits);
    expect(blank).toHaveLength(37);
    expect(blank.every((f) => f.page === 1 && f.value === null && (f.kind === 'text' || (f.kind === 'checkbox' && !f.checked)))).toBe(true);

    const text: Record<string, string> = {
      pt_name: 'Mia Hartley',
      pt_dob: '03/09/2014',
      pt_phone: '(555) 014-2233',
      pt_email: 'j.hartley@example.com',
      pt_gender: 'F',
      pt_guardian: 'Jo Hartley (mother)',
      ref_name: 'Dr Sam Okafor, Bayview Family Dental',
      ref_phone: '(555) 010-7788',
      ref_date: '11/02/2025',
      ref_email: 'referrals@bayview.example',
      notes: 'Severe crowding upper arch; crossbite on the left.',
      notes2: 'Parent asks for early consultation.',
      last_clean: '10/15/2025',
      pend_detail: 'Filling LR6 booked',
    };
    const checked = new Set(['urg_urgent', 'lang_en', 'r_crowd', 'r_crossbite', 'xr_email', 'pend_yes']);
    const values = Object.fromEntries(blank.map((f) => [f.name, f.kind === 'text' ? (text[f.name] ?? `Made-up ${f.name}`) : checked.has(f.name)]));
    const filled = await fillAcroForm(form, values);
    expect(await readAcroForm(filled, limits)).toEqual(
      blank.map((f) =>
        f.kind === 'text'
          ? { ...f, value: values[f.name] }
          : { ...f, checked: checked.has(f.name), value: checked.has(f.name) ? 'Yes' : null },
      ),
    );
  });

  it('gives [] for a PDF without a form', async () => {
    expect(await readAcroForm(await makeBornDigitalPdf(['Dear colleague, please see Mr Brown.']), limits)).toEqual([]);
  });

  it('fails damaged and foreign bytes as unreadable, without echoing content', async () => {
    for (const bad of [Buffer.from(`%PDF-1.7\n${'x'.repeat(500)}`), await makeScanPng('x', 0), Buffer.alloc(0)]) {
      const err = await failure(readAcroForm(bad, limits));
      expect(err.reason).toBe('unreadable');
      expect(err.permanent).toBe(true);
      expect(err.message).not.toMatch(/xxxx/);
    }
  });

  it('fails a truncated form as unreadable, quietly, and the worker lives on', async () => {
    const pdf = await makeAcroFormPdf(SPEC);
    const written: string[] = [];
    const spies = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write')];
    for (const spy of spies) spy.mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    try {
      // pdf-lib cannot repair a file cut short, and narrates its attempt on the console
      expect((await failure(readAcroForm(pdf.subarray(0, Math.floor(pdf.length * 0.9)), limits))).reason).toBe('unreadable');
      await new Promise((r) => setTimeout(r, 200)); // a worker's console output arrives asynchronously
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(written.join('')).not.toMatch(/invalid object/i);
    expect(await readAcroForm(pdf, limits)).toHaveLength(SPEC.length);
  });

  it('reports a password-protected PDF as encrypted', async () => {
    const pdf = await edited(await makeAcroFormPdf(SPEC.slice(0, 2)), ({ context }) => {
      const hex = (byte: string) => PDFHexString.of(byte.repeat(32));
      context.trailerInfo.Encrypt = context.register(context.obj({ Filter: 'Standard', V: 1, R: 2, Length: 40, P: -44, O: hex('ab'), U: hex('cd') }));
    });
    expect((await failure(readAcroForm(pdf, limits))).reason).toBe('encrypted');
  });

  it('skips fields it cannot make sense of and keeps the rest', async () => {
    const pdf = await edited(await makeAcroFormPdf([{ name: 'good', kind: 'text', label: 'Good', value: 'kept' }]), (doc) => {
      const { context: ctx } = doc;
      const fields = fieldsArray(doc);
      fields.push(PDFRef.of(9_999)); // dangling
      fields.push(ctx.obj(42)); // not a field at all
      const [a, b, c, d] = [ctx.nextRef(), ctx.nextRef(), ctx.nextRef(), ctx.nextRef()];
      // branches that are each other's kids
      ctx.assign(a, ctx.obj({ T: PDFString.of('a'), Kids: [b] }));
      ctx.assign(b, ctx.obj({ T: PDFString.of('b'), Kids: [a], Parent: a }));
      // a field that is its grandparent's parent
      ctx.assign(c, ctx.obj({ T: PDFString.of('c'), FT: 'Tx', Parent: d }));
      ctx.assign(d, ctx.obj({ T: PDFString.of('d'), Parent: c }));
      fields.push(a);
      fields.push(c);
    });
    expect(await readAcroForm(pdf, limits)).toEqual([{ name: 'good', page: 1, kind: 'text', value: 'kept' }]);
  });

  it('caps the number of fields and the length of values', async () => {
    const many = Array.from({ length: 60 }, (_, i): AcroFormFieldSpec => ({ name: `f${i}`, kind: 'text', label: `F${i}` }));
    const pdf = await edited(await makeAcroFormPdf(many), (doc) => {
      doc.getForm().getTextField('f0').acroField.setValue(PDFHexString.fromText(`${'long '.repeat(4_000)}\u0000end`));
    });
    const fields = await readAcroForm(pdf, { ...limits, maxFields: 10, maxValueChars: 100 });
    expect(fields.map((f) => f.name)).toEqual(many.slice(0, 10).map((s) => s.name));
    expect(fields[0]!.value).toHaveLength(100);
    // names and values add up: f0 (2 + 100) and f1 (2) fit in 104, f2 would not
    expect(await readAcroForm(pdf, { ...limits, maxValueChars: 100, maxTextChars: 104 })).toHaveLength(2);
  });

  it('kills the worker at the deadline and reports a retryable timeout', async () => {
    const pdf = await makeAcroFormPdf(Array.from({ length: 100 }, (_, i): AcroFormFieldSpec => ({ name: `f${i}`, kind: 'text', label: `F${i}`, value: `v${i}` })));
    await readAcroForm(pdf, limits); // warm a worker so the deadline measures the work only
    const err = await failure(readAcroForm(pdf, { ...limits, timeoutMs: 1 }));
    expect(err.reason).toBe('timeout');
    expect(err.permanent).toBe(false);
    expect(await readAcroForm(pdf, limits)).toHaveLength(100);
  });

  it('does not detach the caller’s buffer', async () => {
    const pdf = await makeAcroFormPdf(SPEC.slice(0, 2));
    await readAcroForm(pdf, limits);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
