import { z } from 'zod';
import { auditBacklog, auditHead } from '@triage/db';
import { withDb } from '../cli-db.ts';
import type { Command } from './command.ts';

const args = z.object({}).strict();

/** Prints the chain head so it can be anchored outside the database: whoever holds it can prove the past unchanged. */
export const auditHeadCommand: Command<typeof args> = {
  name: ['audit', 'head'],
  usage: 'audit head                             print the audit chain head {seq, hash, sequencedAt} and the unchained backlog',
  args,
  async run(_a, { config }) {
    const [head, backlog] = await withDb(config, (db) => Promise.all([auditHead(db), auditBacklog(db)]));
    console.log(JSON.stringify({ seq: head?.seq ?? 0, hash: head?.hash ?? null, sequencedAt: head?.sequencedAt ?? null, pending: backlog.pending, oldestPendingMs: backlog.oldestMs }));
    return 0;
  },
};
