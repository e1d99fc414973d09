import {
  createPDFAcroField,
  ParseSpeeds,
  PDFAcroCheckBox,
  PDFAcroComboBox,
  PDFAcroListBox,
  PDFAcroNonTerminal,
  PDFAcroRadioButton,
  PDFAcroText,
  PDFArray,
  PDFCheckBox,
  PDFDict,
  PDFDocument,
  PDFDropdown,
  PDFName,
  PDFOptionList,
  PDFRadioGroup,
  PDFRef,
  PDFTextField,
} from 'pdf-lib';
import type { PDFAcroField, PDFAcroTerminal } from 'pdf-lib';
import { DocumentError } from './errors.ts';
import { pdfFailure } from './pdf.ts';
import { assertNoFlateBomb } from './pdf-bomb.ts';
import type { AcroField, AcroFormLimits } from './types.ts';

export const ACROFORM_DEFAULTS = { maxFields: 2000, maxValueChars: 10_000, maxTextChars: 1_000_000 };
const MAX_OPTIONS = 200;
// Real forms nest names a few levels deep; deeper is a hostile tree.
const MAX_DEPTH = 32;

/**
 * AcroForm fields in this thread (callers use `readAcroForm`, which isolates it). The
 * document must load, or it fails as extraction would ('unreadable', 'encrypted': pdf-lib
 * cannot decrypt); a form that is merely malformed yields what can be read of it, down to
 * [], since the text layer is still good. Fields are cut off after `maxFields`, or once
 * names, values and options add up to `maxTextChars`; each string is cut to `maxValueChars`.
 */
export async function readAcroFormInProcess(bytes: Uint8Array, limits: AcroFormLimits): Promise<AcroField[]> {
  const maxFields = limits.maxFields ?? ACROFORM_DEFAULTS.maxFields;
  const maxValueChars = limits.maxValueChars ?? ACROFORM_DEFAULTS.maxValueChars;
  const maxTextChars = limits.maxTextChars ?? ACROFORM_DEFAULTS.maxTextChars;
  await assertNoFlateBomb(bytes);
  const doc = await quietly(() => load(bytes));
  const form = acroFormOf(doc);
  if (!form) return [];
  const pageOf = widgetPages(doc);
  const fields: AcroField[] = [];
  let chars = 0;
  // Non-terminal nodes cost work too: a tree of nothing but branches must end.
  for (const [acro, ref] of terminals(form, maxFields * 4)) {
    if (fields.length >= maxFields) break;
    const field = describe(acro, ref, doc, pageOf, maxValueChars);
    if (!field) continue;
    chars += field.name.length + (field.value?.length ?? 0) + (field.options ?? []).reduce((n, o) => n + o.length, 0);
    if (chars > maxTextChars) break;
    fields.push(field);
  }
  return fields;
}

async function load(bytes: Uint8Array): Promise<PDFDocument> {
  let doc: PDFDocument;
  try {
    // Fastest: no yielding between objects; the isolate's deadline bounds the parse instead.
    // Encryption is checked below: pdf-lib's ES5 error classes defeat instanceof.
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, parseSpeed: ParseSpeeds.Fastest, throwOnInvalidObject: false });
  } catch (err) {
    throw pdfFailure(err);
  }
  // pdf-lib cannot decrypt, so even an owner-password-only PDF (which extraction reads) ends here.
  if (doc.isEncrypted) throw new DocumentError('encrypted', 'PDF is encrypted; its form cannot be read');
  if (!((doc.catalog as unknown) instanceof PDFDict)) throw new DocumentError('unreadable', 'PDF has no catalogue');
  return doc;
}

function acroFormOf(doc: PDFDocument): PDFArray | undefined {
  try {
    // Not getForm(): it would create a form, and print a warning when it drops XFA.
    const dict = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
    return dict?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  } catch {
    return undefined;
  }
}

/**
 * Terminal fields in document order. Walked here rather than by pdf-lib, whose walk throws
 * away the whole form for one dangling reference and recurses forever on a cycle.
 */
function* terminals(fields: PDFArray, maxNodes: number): Generator<[PDFAcroTerminal, PDFRef]> {
  const seen = new Set<PDFRef>();
  const stack = [{ kids: fields, at: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.at >= top.kids.size()) {
      stack.pop();
      continue;
    }
    const i = top.at++;
    const ref = top.kids.get(i);
    const dict = top.kids.lookup(i);
    if (!(ref instanceof PDFRef) || !(dict instanceof PDFDict) || seen.has(ref)) continue;
    seen.add(ref);
    if (seen.size > maxNodes) return;
    let acro: PDFAcroField;
    try {
      acro = createPDFAcroField(dict, ref);
    } catch {
      continue; // e.g. a cyclic /Parent chain
    }
    if (!(acro instanceof PDFAcroNonTerminal)) yield [acro as PDFAcroTerminal, ref];
    else if (stack.length < MAX_DEPTH) {
      const kids = safely(() => acro.Kids());
      if (kids) stack.push({ kids, at: 0 });
    }
  }
}

type PageOf = (widget: PDFDict, widgetRef: PDFRef) => number | null;

/** Page (1-based) of a widget: its /P when that is a page, else the page whose /Annots lists it. */
function widgetPages(doc: PDFDocument): PageOf {
  const byPage = new Map<PDFRef, number>();
  const byAnnot = new Map<PDFRef, number>();
  const pages = safely(() => doc.getPages()) ?? [];
  pages.forEach((page, i) => {
    byPage.set(page.ref, i + 1);
    const annots = safely(() => page.node.Annots());
    for (let j = 0; annots && j < annots.size(); j++) {
      const ref = annots.get(j);
      if (ref instanceof PDFRef && !byAnnot.has(ref)) byAnnot.set(ref, i + 1);
    }
  });
  return (widget, widgetRef) => {
    const p = widget.get(PDFName.of('P'));
    return (p instanceof PDFRef ? byPage.get(p) : undefined) ?? byAnnot.get(widgetRef) ?? null;
  };
}

function describe(acro: PDFAcroTerminal, ref: PDFRef, doc: PDFDocument, pageOf: PageOf, max: number): AcroField | null {
  try {
    const name = clean(acro.getFullyQualifiedName() ?? '', max) ?? '';
    const page = firstWidgetPage(acro, ref, pageOf);
    if (acro instanceof PDFAcroText) {
      return { name, page, kind: 'text', value: clean(PDFTextField.of(acro, ref, doc).getText(), max) };
    }
    if (acro instanceof PDFAcroCheckBox) {
      const checked = PDFCheckBox.of(acro, ref, doc).isChecked();
      return { name, page, kind: 'checkbox', value: checked ? clean(acro.getValue().decodeText(), max) : null, checked };
    }
    if (acro instanceof PDFAcroRadioButton) {
      const radio = PDFRadioGroup.of(acro, ref, doc);
      return { name, page, kind: 'radio', value: clean(radio.getSelected(), max), options: options(radio.getOptions(), max) };
    }
    if (acro instanceof PDFAcroComboBox || acro instanceof PDFAcroListBox) {
      // A list box is a choice field like a dropdown: same shape, so the same kind.
      const choice = acro instanceof PDFAcroComboBox ? PDFDropdown.of(acro, ref, doc) : PDFOptionList.of(acro, ref, doc);
      return { name, page, kind: 'dropdown', value: clean(choice.getSelected().join(', '), max), options: options(choice.getOptions(), max) };
    }
    return { name, page, kind: 'other', value: null };
  } catch {
    return null; // one malformed field, not a malformed document
  }
}

function firstWidgetPage(acro: PDFAcroTerminal, ref: PDFRef, pageOf: PageOf): number | null {
  const kids = safely(() => acro.Kids());
  if (!kids || kids.size() === 0) return pageOf(acro.dict, ref); // field and widget in one dictionary
  const kidRef = kids.get(0);
  const kid = kids.lookup(0);
  return kidRef instanceof PDFRef && kid instanceof PDFDict ? pageOf(kid, kidRef) : null;
}

function options(list: string[], max: number): string[] {
  return list.slice(0, MAX_OPTIONS).map((o) => clean(o, max) ?? '');
}

// Stored values must survive Postgres text and JSON: no NUL or other control bytes, no lone surrogates.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function clean(s: string | undefined, max: number): string | null {
  if (s === undefined) return null;
  const text = s.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim().slice(0, max).replace(LONE_SURROGATE, '\ufffd');
  return text === '' ? null : text;
}

/** pdf-lib narrates its repairs with console.warn / console.log: from this thread, unstructured lines in the service's stdout. */
async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  console.log = console.warn = () => undefined;
  try {
    return await f();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

function safely<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
