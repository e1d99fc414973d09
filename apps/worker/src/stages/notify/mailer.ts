import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export type Email = { from: string; to: string; subject: string; text: string; messageId: string };
export type Mailer = { send(email: Email): Promise<{ messageId: string }>; close(): void };

export function createSmtpMailer(url: string, opts: { requireTLS?: boolean } = {}): Mailer {
  // requireTLS: STARTTLS must succeed or nothing is sent (no silent plaintext fallback).
  const transport = nodemailer.createTransport(url, { pool: true, maxConnections: 5, requireTLS: opts.requireTLS ?? false } as never);
  return {
    async send(email) {
      const info = await transport.sendMail(email);
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

/** With no SMTP server configured, mail lands as .eml files an operator can open. */
export function createFileMailer(dir: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(email) {
      const info = await transport.sendMail(email);
      await mkdir(dir, { recursive: true });
      const name = info.messageId.replace(/[^\w.@-]/g, '_');
      await writeFile(join(dir, `${name}.eml`), info.message as Buffer);
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

export type SmtpFailure = 'retry' | 'unknown';

type SmtpError = { code?: string; command?: string; responseCode?: number };

/**
 * Whether a failed send may be retried. Only failures known to happen before the server accepted the
 * message body are retried; a dropped connection during or after DATA may have delivered it.
 */
export function classifySmtpFailure(e: unknown): SmtpFailure {
  const err = (e ?? {}) as SmtpError;
  if (err.responseCode && err.responseCode >= 400) return 'retry';
  if (err.command === 'CONN' || err.code === 'EDNS' || err.code === 'EAUTH' || err.code === 'EENVELOPE') return 'retry';
  if (err.code === 'ECONNECTION' && (!err.command || err.command === 'CONN')) return 'retry';
  if (err.code === 'ECONNREFUSED' || (e as Error)?.message?.includes('ECONNREFUSED')) return 'retry';
  return 'unknown';
}
