import { z } from 'zod';
import { auditBacklog, auditHead, migrate, openDb } from '@triage/db';
import { dbTls } from '../runtime.ts';
import type { Command } from './command.ts';

const args = z.object({}).strict();

/** Prints the chain head so it can be anchored outside the database: whoever holds it can prove the past unchanged. */
export const auditHeadCommand: Command<typeof args> = {
  name: ['audit', 'head'],
  usage: 'audit head                             print the audit chain head {seq, hash, sequencedAt} and the unchained backlog',
  args,
  async run(_a, { config }) {
    const h = await openDb({ url: config.DATABASE_URL, embeddedDir: `${config.DATA_DIR}/pglite`, tls: dbTls(config) });
    try {
      await migrate(h, config.DATABASE_URL, dbTls(config));
      const [head, backlog] = await Promise.all([auditHead(h.db), auditBacklog(h.db)]);
      console.log(JSON.stringify({ seq: head?.seq ?? 0, hash: head?.hash ?? null, sequencedAt: head?.sequencedAt ?? null, pending: backlog.pending, oldestPendingMs: backlog.oldestMs }));
      return 0;
    } finally {
      await h.close();
    }
  },
};
