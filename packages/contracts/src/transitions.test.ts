import { describe, expect, it } from 'vitest';
import { nextAfter } from './transitions.ts';
import { jobIdFor, stagePayload } from './stages.ts';

describe('transitions table', () => {
  it('sends documents with OCR pages to ocr, others straight to fields', () => {
    expect(nextAfter('extract', { type: 'extracted', pages: 2, ocrPages: 1 })).toEqual({ kind: 'next', stage: 'ocr' });
    expect(nextAfter('extract', { type: 'extracted', pages: 2, ocrPages: 0 })).toEqual({ kind: 'next', stage: 'fields' });
  });
  it('chains ocr → fields → classify → persist', () => {
    expect(nextAfter('ocr', { type: 'recognized', pages: 1, meanConfidence: 90 })).toEqual({ kind: 'next', stage: 'fields' });
    expect(nextAfter('fields', { type: 'read', found: ['patientName'], missing: [], conflicts: [] })).toEqual({ kind: 'next', stage: 'classify' });
    expect(nextAfter('classify', { type: 'classified', urgency: 'routine', specialty: 'Urology' })).toEqual({ kind: 'next', stage: 'persist' });
  });
  it('routes auto decisions to notify and ends review and rejection', () => {
    expect(nextAfter('persist', { type: 'auto', referralId: null })).toEqual({ kind: 'next', stage: 'notify' });
    expect(nextAfter('persist', { type: 'review', referralId: null })).toEqual({ kind: 'end', status: 'needs_review' });
    expect(nextAfter('persist', { type: 'rejected', referralId: null })).toEqual({ kind: 'end', status: 'rejected' });
    expect(nextAfter('notify', { type: 'notified', sent: 1, unknown: 0 })).toEqual({ kind: 'end', status: 'routed' });
  });
});

describe('stage payload', () => {
  it('carries ids only and rejects anything else', () => {
    const id = '6f1c2a52-8d1e-4b43-9a57-0a8f7f0e1a11';
    expect(stagePayload.parse({ documentId: id, run: 1 })).toEqual({ documentId: id, run: 1 });
    expect(() => stagePayload.parse({ documentId: id, run: 1, text: 'Jane Doe' })).toThrow();
    expect(() => stagePayload.parse({ documentId: 'x', run: 1 })).toThrow();
    expect(jobIdFor('ocr', { documentId: id, run: 3 })).toBe(`${id}|ocr|3`);
  });
});
