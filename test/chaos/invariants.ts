import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@triage/db';
import type { CapturedMail } from '@triage/testkit';

export type ChaosReport = {
  accepted: number;
  byStatus: Record<string, number>;
  notTerminal: number;
  failedWithoutReason: number;
  duplicateReferrals: number;
  duplicateEmails: number;
  routedWithoutEmail: number;
  routedWithTwoEmails: number;
  unknownEmails: number;
  committedStagesWithoutAttempt: number;
  attempts: number;
  attemptsByOutcome: Record<string, number>;
  failedByReason: Record<string, number>;
  violations: string[];
};

/** Reads the truth from Postgres and the SMTP sink, and names every invariant that broke. */
export async function checkInvariants(db: Db, acceptedIds: string[], mails: CapturedMail[]): Promise<ChaosReport> {
  const ids = `{${acceptedIds.join(',')}}`;
  const q = async <T>(s: ReturnType<typeof sql>) => rowsOf<T>(await db.execute(s));
  const statuses = await q<{ status: string; n: number }>(sql`select status, count(*)::int n from documents where id = any(${ids}::uuid[]) group by status`);
  const byStatus = Object.fromEntries(statuses.map((r) => [r.status, Number(r.n)]));
  const notTerminal = (byStatus.received ?? 0) + (byStatus.processing ?? 0);
  const [nf] = await q<{ n: number }>(sql`select count(*)::int n from documents where id = any(${ids}::uuid[]) and status = 'failed' and failure_reason is null`);
  const [dr] = await q<{ n: number }>(sql`select count(*)::int n from (select document_id from referrals group by document_id having count(*) > 1) x`);
  const outbox = await q<{ id: string; referral_id: string; status: string }>(sql`select id, referral_id, status from outbox`);
  const mailsById = new Map<string, number>();
  for (const m of mails) if (m.messageId) mailsById.set(m.messageId, (mailsById.get(m.messageId) ?? 0) + 1);
  const duplicateEmails = [...mailsById.values()].filter((n) => n > 1).length;
  const routed = await q<{ id: string }>(sql`select r.id from referrals r join documents d on d.id = r.document_id where d.status = 'routed' and d.id = any(${ids}::uuid[])`);
  let routedWithoutEmail = 0;
  let routedWithTwoEmails = 0;
  let unknownEmails = 0;
  for (const r of routed) {
    const rows = outbox.filter((o) => o.referral_id === r.id);
    unknownEmails += rows.filter((o) => o.status === 'unknown').length;
    const delivered = rows.reduce((s, o) => s + (mailsById.get(`<${o.id}@referral-triage>`) ?? 0), 0);
    // An `unknown` row is an operator's to settle; every other routed referral has exactly one email.
    if (delivered === 0 && !rows.some((o) => o.status === 'unknown')) routedWithoutEmail++;
    if (delivered > 1) routedWithTwoEmails++;
  }
  const [noAttempt] = await q<{ n: number }>(sql`
    select count(*)::int n from stage_runs sr where not exists (
      select 1 from stage_attempts a where a.document_id = sr.document_id and a.stage = sr.stage and a.run = sr.run and a.outcome = 'succeeded')`);
  const [attempts] = await q<{ n: number }>(sql`select count(*)::int n from stage_attempts`);
  const reasons = await q<{ reason: string; n: number }>(sql`select failure_reason as reason, count(*)::int n from documents where id = any(${ids}::uuid[]) and status = 'failed' group by 1`);
  const outcomes = await q<{ outcome: string; n: number }>(sql`select outcome, count(*)::int n from stage_attempts group by outcome`);
  const report: ChaosReport = {
    accepted: acceptedIds.length,
    byStatus,
    notTerminal,
    failedWithoutReason: Number(nf?.n ?? 0),
    duplicateReferrals: Number(dr?.n ?? 0),
    duplicateEmails,
    routedWithoutEmail,
    routedWithTwoEmails,
    unknownEmails,
    committedStagesWithoutAttempt: Number(noAttempt?.n ?? 0),
    attempts: Number(attempts?.n ?? 0),
    failedByReason: Object.fromEntries(reasons.map((r) => [r.reason, Number(r.n)])),
    attemptsByOutcome: Object.fromEntries(outcomes.map((r) => [r.outcome, Number(r.n)])),
    violations: [],
  };
  const v = report.violations;
  if (notTerminal) v.push(`${notTerminal} accepted documents are not in a terminal state`);
  if (report.failedWithoutReason) v.push(`${report.failedWithoutReason} failed documents have no reason`);
  if (report.duplicateReferrals) v.push(`${report.duplicateReferrals} documents have more than one referral`);
  if (duplicateEmails) v.push(`${duplicateEmails} emails were delivered more than once`);
  if (routedWithoutEmail) v.push(`${routedWithoutEmail} routed referrals have no email`);
  if (routedWithTwoEmails) v.push(`${routedWithTwoEmails} routed referrals have more than one email`);
  if (report.committedStagesWithoutAttempt) v.push(`${report.committedStagesWithoutAttempt} committed stages have no attempt in the provenance`);
  return report;
}
