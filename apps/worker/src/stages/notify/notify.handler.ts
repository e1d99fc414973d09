import {
  beginSend,
  getReferralByDocument,
  hl7MessageForDocument,
  listOutboxForReferral,
  markRetry,
  markSent,
  markUnknown,
  type Db,
  type OutboxRow,
  type ReferralRow,
} from '@triage/db';
import { binding } from '@triage/crypto';
import { buildApplicationResponse, decodeMessage, parseMessage, sendMllp } from '@triage/hl7';
import type { SealedBlobStore } from '@triage/storage';
import { TransientError, scrubMessage } from '../../errors.ts';
import type { StageHandler } from '../../stage-handler.ts';
import { classifySmtpFailure, type Email, type Mailer } from './mailer.ts';

export type NotifyDeps = {
  db: Db;
  mailer: Mailer;
  from: string;
  publicUrl: string;
  retryDelayMs?: number;
  /** The sealed originals, for the HL7 message an application response answers. */
  blobs?: SealedBlobStore;
  sendHl7?: typeof sendMllp;
};

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
      if (claimed.recipient.startsWith('mllp://')) {
        row.status = await sendHl7Response(deps, referral, claimed, doc.id);
        ctx.log.info({ outboxId: row.id, status: row.status }, 'hl7 application response');
        if (row.status === 'pending') throw new TransientError('hl7 response endpoint unavailable');
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

/**
 * RRI^I12 / ORR^O02 / ORG^O20 to the sender's endpoint, built from the stored original. Like an email: never
 * written → retry later; written but no ACK → `unknown`, for an operator (it may have arrived); AR → retry; AE → unknown.
 */
async function sendHl7Response(deps: NotifyDeps, referral: ReferralRow, row: OutboxRow, documentId: string): Promise<OutboxRow['status']> {
  const m = await hl7MessageForDocument(deps.db, documentId);
  if (!m || !deps.blobs) {
    await markUnknown(deps.db, row.id, 'the original HL7 message is not available');
    return 'unknown';
  }
  const text = decodeMessage(await deps.blobs.get(m.storageKey, binding.message(m.id))).text;
  const payload = buildApplicationResponse(parseMessage(text), text, { accepted: true, team: referral.team, urgency: referral.urgency as 'emergent' | 'urgent' | 'routine', referralId: referral.id });
  const url = new URL(row.recipient);
  const r = await (deps.sendHl7 ?? sendMllp)(url.hostname, Number(url.port), payload);
  if (r.outcome === 'acked') {
    const code = parseMessage(r.ack).get('MSA', 1).toUpperCase();
    if (code === 'AA' || code === 'CA') {
      await markSent(deps.db, row.id, parseMessage(payload).get('MSH', 10));
      return 'sent';
    }
    if (code === 'AR' || code === 'CR') {
      await markRetry(deps.db, row.id, `receiver answered ${code}`, new Date(Date.now() + (deps.retryDelayMs ?? 1000)));
      return 'pending';
    }
    await markUnknown(deps.db, row.id, `receiver answered ${code || 'without MSA'}`);
    return 'unknown';
  }
  if (r.outcome === 'refused') {
    await markRetry(deps.db, row.id, scrubMessage(r.error), new Date(Date.now() + (deps.retryDelayMs ?? 1000)));
    return 'pending';
  }
  await markUnknown(deps.db, row.id, scrubMessage(r.error));
  return 'unknown';
}
