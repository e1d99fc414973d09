import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Hl7Message } from '@medplum/core';
import { Hl7Client, Hl7Server, type Hl7Connection, type Hl7MessageEvent } from '@medplum/hl7';
import { schema } from '@triage/db';
import { waitFor } from '@triage/testkit';
import { freePort } from '../chaos/processes.ts';
import { policyWith, startSystem, type System } from './system.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

let sys: System;
let ehr: Hl7Server;
let client: Hl7Client;
const received: Hl7Message[] = [];

beforeAll(async () => {
  // The referring EHR's own listener (a real MLLP server library), where application responses go.
  const port = await freePort();
  ehr = new Hl7Server((conn: Hl7Connection) => {
    conn.addEventListener('message', ({ message }: Hl7MessageEvent) => {
      received.push(message);
      conn.send(message.buildAck());
    });
  });
  ehr.start(port);
  sys = await startSystem({
    policy: policyWith({ urgency: 0, specialty: 0, emergentReview: 1 }, basePolicy),
    env: { HL7_RESPONSE_ROUTES: `GPSYS^HILLSURGERY=127.0.0.1:${port}` },
  });
  client = new Hl7Client({ host: '127.0.0.1', port: sys.mllpPort });
}, 120_000);
afterAll(async () => {
  client?.close();
  await sys?.stop();
  await ehr?.stop();
});

/** A made-up referral asking for an application response (MSH-16 AL). */
const ref = (controlId: string, appAck: string) =>
  [
    `MSH|^~\\&|GPSYS|HILLSURGERY|TRIAGE|HOSP|20261201101500||REF^I12^REF_I12|${controlId}|P|2.5.1|||AL|${appAck}`,
    `RF1|A|R^Routine^HL70280|Med||O|REF-${controlId}^HILL|20261201`,
    'PRD|RP|Okafor^Ngozi^^^Dr|||^WPN^PH^^^0113^4960000||1234567893^NPI|||Hill Surgery',
    'PRD|RT|Team^Urology||^^^Urology Clinic',
    `PID|1||MRN${controlId}^^^HOSP^MR||Quill^Ottoline||19580405|F`,
    'DG1|1||N40.1^Benign prostatic hyperplasia with lower urinary tract symptoms^I10|Benign prostatic hyperplasia',
    'NTE|||Raised PSA of 6.2 with nocturia and poor stream over six months; please assess.',
  ].join('\r');

describe('HL7 application responses', () => {
  it('answers a routed REF^I12 with one RRI^I12 to the sender, matching its control id and referral id', async () => {
    const ack = await client.sendAndWait(Hl7Message.parse(ref('APP-1', 'AL')));
    expect(ack.getSegment('MSA')?.getField(1)?.toString()).toBe('CA');
    const rri = await waitFor(async () => received.find((m) => m.getSegment('MSA')?.getField(2)?.toString() === 'APP-1'), { timeoutMs: 60_000, what: 'the RRI^I12' });
    expect(rri.getSegment('MSH')?.getField(9)?.toString()).toMatch(/^RRI\^I12/);
    expect(rri.getSegment('RF1')?.getField(1)?.toString()).toMatch(/^A\^Accepted/);
    expect(rri.getSegment('RF1')?.getField(6)?.toString()).toBe('REF-APP-1^HILL');
    expect(rri.getSegment('PID')?.getField(3)?.toString()).toBe('MRNAPP-1^^^HOSP^MR');
    const [msg] = await sys.rt.dbh.db.select().from(schema.interfaceMessages).where(eq(schema.interfaceMessages.controlId, 'APP-1'));
    const rows = await sys.rt.dbh.db.select().from(schema.outbox).where(eq(schema.outbox.documentId, msg!.documentId!));
    expect(rows.map((r) => [r.kind, r.status]).sort()).toEqual([['hl7_application_response', 'sent'], ['referral_routed', 'sent']]);
    // Exactly once: the document is done, and no second response arrives.
    expect(received.filter((m) => m.getSegment('MSA')?.getField(2)?.toString() === 'APP-1')).toHaveLength(1);
  });

  it('sends nothing to a sender that did not ask (MSH-16 NE)', async () => {
    await client.sendAndWait(Hl7Message.parse(ref('APP-2', 'NE')));
    const [msg] = await waitFor(async () => {
      const rows = await sys.rt.dbh.db.select().from(schema.interfaceMessages).where(eq(schema.interfaceMessages.controlId, 'APP-2'));
      return rows.length ? rows : undefined;
    }, { timeoutMs: 10_000, what: 'the message row' });
    await waitFor(async () => {
      const [d] = await sys.rt.dbh.db.select().from(schema.documents).where(eq(schema.documents.id, msg!.documentId!));
      return d?.status === 'routed' ? d : undefined;
    }, { timeoutMs: 60_000, what: 'routing' });
    const rows = await sys.rt.dbh.db.select().from(schema.outbox).where(eq(schema.outbox.documentId, msg!.documentId!));
    expect(rows.map((r) => r.kind)).toEqual(['referral_routed']);
  });
});
