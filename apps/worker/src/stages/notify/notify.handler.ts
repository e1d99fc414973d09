import {
  beginSend,
  getReferralByDocument,
  listOutboxForReferral,
  markRetry,
  markSent,
  markUnknown,
  type Db,
  type OutboxRow,
  type ReferralRow,
} from '@triage/db';
import { TransientError, scrubMessage } from '../../errors.ts';
import type { StageHandler } from '../../stage-handler.ts';
import { classifySmtpFailure, type Email, type Mailer } from './mailer.ts';

export type NotifyDeps = { db: Db; mailer: Mailer; from: string; publicUrl: string; retryDelayMs?: number };

/** Delivers this referral's outbox rows. An email carries ids, urgency, specialty and a link: no PHI. */
export function createNotifyHandler(deps: NotifyDeps): StageHandler<'notify'> {
  return async (ctx, doc) => {
    const referral = await getReferralByDocument(deps.db, doc.id);
    if (!referral) throw new Error('no referral for document');
    const rows = await listOutboxForReferral(deps.db, referral.id);
    for (const row of rows) {
      if (row.status !== 'pending') continue;
      const claimed = await beginSend(deps.db, row.id);
      if (!claimed) {
        row.status = 'sending'; // someone else has it: not ours to count as done
        continue;
      }
      try {
        const info = await deps.mailer.send(buildEmail(deps, referral, claimed));
        await markSent(deps.db, row.id, info.messageId);
        row.status = 'sent';
        ctx.log.info({ outboxId: row.id }, 'email sent');
      } catch (e) {
        const msg = scrubMessage((e as Error).message ?? String(e));
        if (classifySmtpFailure(e) === 'unknown') {
          await markUnknown(deps.db, row.id, msg);
          row.status = 'unknown';
          ctx.log.error({ outboxId: row.id }, 'email delivery outcome unknown; left for an operator, not resent');
        } else {
          await markRetry(deps.db, row.id, msg, new Date(Date.now() + (deps.retryDelayMs ?? 1000)));
          throw new TransientError(`smtp unavailable: ${msg}`);
        }
      }
    }
    if (rows.some((r) => r.status === 'pending' || r.status === 'sending')) {
      throw new TransientError('emails still pending delivery');
    }
    return {
      outcome: {
        type: 'notified',
        sent: rows.filter((r) => r.status === 'sent').length,
        unknown: rows.filter((r) => r.status === 'unknown').length,
      },
      outputDigest: rows.map((r) => `${r.id}:${r.status}`).join(','),
    };
  };
}

export function buildEmail(deps: Pick<NotifyDeps, 'from' | 'publicUrl'>, referral: ReferralRow, row: OutboxRow): Email {
  const ref = referral.id.slice(0, 8);
  const link = `${deps.publicUrl}/v1/documents/${referral.documentId}`;
  return {
    from: deps.from,
    to: row.recipient,
    // A stable Message-ID lets receiving systems drop a duplicate even if one ever slipped through.
    messageId: `<${row.id}@referral-triage>`,
    subject: `[${referral.urgency.toUpperCase()}] ${row.kind === 'referral_corrected' ? 'Re-routed referral' : 'New referral'} for ${referral.team ?? referral.specialty} (ref ${ref})`,
    text: [
      row.kind === 'referral_corrected'
        ? `A reviewer auditing an automatically routed referral has re-routed it to ${referral.team ?? referral.specialty}.`
        : `A referral has been routed to ${referral.team ?? referral.specialty}.`,
      '',
      `Referral: ${referral.id}`,
      `Urgency: ${referral.urgency}`,
      `Specialty: ${referral.specialty}`,
      `Decided by: ${referral.decidedBy.startsWith('reviewer:') ? 'reviewer' : 'model'}`,
      '',
      `Open it: ${link}`,
      '',
      'This message carries no patient information; sign in to view the referral.',
    ].join('\n'),
  };
}
