import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export type CapturedMail = { from: string; to: string[]; raw: string; messageId: string | null; subject: string | null };

export type TestSmtp = {
  url: string;
  port: number;
  messages: CapturedMail[];
  /** While set, the server answers every connection with a 421 (service unavailable). */
  refuse: boolean;
  close(): Promise<void>;
};

/** A real SMTP server inside the test: what the pipeline sends is what we assert on. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const state: TestSmtp = { url: '', port: 0, messages: [], refuse: false, close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, cb) {
      if (state.refuse) {
        const err = new Error('service temporarily unavailable') as Error & { responseCode: number };
        err.responseCode = 421;
        return cb(err);
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        state.messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          messageId: /^Message-ID:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? null,
          subject: /^Subject:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? null,
        });
        cb();
      });
    },
  });
  // A sender killed mid-session (the chaos test SIGKILLs workers) resets its socket; smtp-server re-emits that as
  // a server 'error', which would otherwise be an uncaught exception in the test process.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  state.port = port;
  state.url = `smtp://127.0.0.1:${port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
