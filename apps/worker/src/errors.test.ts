import { describe, expect, it } from 'vitest';
import { DocumentError } from '@triage/documents';
import { classifyError, finalOnRetry, PermanentError, scrubMessage, TransientError } from './errors.ts';
import { classifySmtpFailure } from './stages/notify/mailer.ts';

describe('error classification', () => {
  it('maps typed errors to their class and reason', () => {
    expect(classifyError(new PermanentError('unreadable', 'bad pdf'))).toMatchObject({ class: 'permanent', reason: 'unreadable' });
    expect(classifyError(new TransientError('smtp down'))).toMatchObject({ class: 'transient' });
    const docErr = Object.assign(new Error('encrypted'), { name: 'DocumentError', reason: 'encrypted', permanent: true });
    expect(classifyError(docErr)).toMatchObject({ class: 'permanent', reason: 'encrypted' });
    expect(classifyError(new Error('ECONNRESET'))).toMatchObject({ class: 'transient', reason: 'internal' });
  });
  it('scrubs quoted content, emails and long numbers from messages', () => {
    const m = scrubMessage('Unexpected token in "Jane Doe DOB 1961-02-03" for jane@example.org MRN 12345678');
    expect(m).not.toContain('Jane');
    expect(m).not.toContain('jane@example.org');
    expect(m).not.toContain('12345678');
  });
});

describe('smtp failure classification', () => {
  it('retries failures known to happen before the message was accepted', () => {
    expect(classifySmtpFailure({ code: 'ECONNECTION', command: 'CONN' })).toBe('retry');
    expect(classifySmtpFailure({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550 })).toBe('retry');
    expect(classifySmtpFailure({ responseCode: 421, command: 'CONN' })).toBe('retry');
    expect(classifySmtpFailure(new Error('connect ECONNREFUSED 127.0.0.1:25'))).toBe('retry');
  });
  it('treats a dropped connection during or after DATA as unknown', () => {
    expect(classifySmtpFailure({ code: 'ECONNECTION', command: 'DATA' })).toBe('unknown');
    expect(classifySmtpFailure({ code: 'ESOCKET' })).toBe('unknown');
  });
});

describe('finalOnRetry', () => {
  it('lets a first parse timeout retry and makes the second one final; other errors pass through', async () => {
    const timeout = () => Promise.reject(new DocumentError('timeout', 'document processing exceeded 10 ms'));
    const first = await timeout().catch(finalOnRetry(1)).catch((e: unknown) => e);
    expect(classifyError(first)).toMatchObject({ class: 'transient', reason: 'timeout' });
    const second = await timeout().catch(finalOnRetry(2)).catch((e: unknown) => e);
    expect(classifyError(second)).toMatchObject({ class: 'permanent', reason: 'timeout' });
    const other = await Promise.reject(new DocumentError('unreadable', 'x')).catch(finalOnRetry(3)).catch((e: unknown) => e);
    expect(classifyError(other)).toMatchObject({ class: 'permanent', reason: 'unreadable' });
  });
});
