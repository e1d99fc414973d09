import net from 'node:net';
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import { startMllpListener } from '@triage/api';
import { openDb, schema } from '@triage/db';
import { makeBornDigitalPdf } from '@triage/documents';
import { frame, MllpDeframer, parseMessage } from '@triage/hl7';
import { sharedPath, waitFor } from '@triage/testkit';
import { reviewEverything, startSystem, type System } from './system.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

let sys: System;
let intake: string;
let reviewer: string;
let client: Hl7Client;

beforeAll(async () => {
  sys = await startSystem({ policy: reviewEverything(basePolicy) });
  intake = await sys.token('intake');
  reviewer = await sys.token('reviewer');
  client = new Hl7Client({ host: '127.0.0.1', port: sys.mllpPort });
}, 120_000);
afterAll(async () => {
  client?.close();
  await sys?.stop();
});

/** A made-up referral: the patient, the referrer and the clinic are invented for the test. */
const ref = (controlId: string, o: { name?: string; priority?: string; key?: string; event?: string; extra?: string[] } = {}) =>
  [
    `MSH|^~\\&|GPSYS|HILLSURGERY|TRIAGE|HOSP|20261201101500||REF^${o.event ?? 'I12'}^REF_I12|${controlId}|P|2.5.1`,
    `RF1|A^Accepted|${o.priority ?? 'S^STAT'}^HL70280|Med||O|${o.key ?? `REF-${controlId}`}^HILL|20261201`,
    'PRD|RP|Okafor^Ngozi^^^Dr|1 High St^^Leeds^^LS1 1AA||^WPN^PH^^^0113^4960000~^WPN^FX^^^0113^4960001||1234567893^NPI|||Hill Surgery',
    'PRD|RT|Team^Cardiology||^^^Cardiology Clinic',
    `PID|1||MRN${controlId}^^^HOSP^MR||${o.name ?? 'Quill^Ottoline'}||19580405|F|||2 Low Rd^^Leeds^^LS2 2BB`,
    'DG1|1||I20.0^Unstable angina^I10|Unstable angina',
    'NTE|||Three weeks of exertional chest tightness radiating to the left arm; ST depression in V4-V6 on today\\X27\\s ECG.',
    ...(o.extra ?? []),
  ].join('\r');

const send = async (text: string) => (await client.sendAndWait(Hl7Message.parse(text))).toString();
const ackOf = (text: string) => parseMessage(text);
const db = () => sys.rt.dbh.db;
const messageRows = (controlId: string) => db().select().from(schema.interfaceMessages).where(eq(schema.interfaceMessages.controlId, controlId));
const api = async (path: string, token: string, init: RequestInit = {}) => {
  const res = await fetch(`${sys.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
};

/** Raw MLLP, for what a client library does not do (byte-at-a-time writes, several frames per write). */
async function rawExchange(frames: Buffer, expected: number, chunk = 0): Promise<string[]> {
  const socket = net.connect(sys.mllpPort, '127.0.0.1');
  socket.setNoDelay(true);
  const deframer = new MllpDeframer();
  const acks: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    socket.on('data', (d) => {
      for (const e of deframer.push(d)) if (e.type === 'message') acks.push(e.payload.toString('latin1'));
      if (acks.length >= expected) resolve();
    });
    socket.on('error', reject);
  });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  if (chunk > 0) {
    for (let i = 0; i < frames.length; i += chunk) {
      await new Promise<void>((r) => socket.write(frames.subarray(i, i + chunk), () => r()));
    }
  } else socket.write(frames);
  await done;
  socket.destroy();
  return acks;
}

describe('HL7 v2 over MLLP', () => {
  it('ACKs AA only once the message and its document are committed, and reads the fields from the segments', async () => {
    const ack = ackOf(await send(ref('E2E-1')));
    expect([ack.get('MSA', 1), ack.get('MSA', 2)]).toEqual(['AA', 'E2E-1']);
    // Committed before the ACK: the rows are there the moment it arrives.
    const [row] = await messageRows('E2E-1');
    expect(row).toMatchObject({ status: 'accepted', action: 'new', messageType: 'REF^I12', ackCode: 'AA', channel: 'mllp' });
    const doc = await waitFor(
      async () => {
        const r = await api(`/v1/documents/${row!.documentId}`, reviewer);
        return r.body.status === 'needs_review' ? r.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the HL7 referral to reach review' },
    );
    expect(doc.fields.patientName).toMatchObject({ value: 'Ottoline Quill', source: 'hl7', at: 'PID-5' });
    expect(doc.fields.statedPriority).toMatchObject({ value: 'emergent', source: 'hl7', at: 'RF1-2' });
    expect(doc.fields.referredTo.value).toEqual({ raw: 'Cardiology Clinic', specialty: 'Cardiovascular / Pulmonary' });
    expect(doc.fields.referrerNpi.value).toBe('1234567893');
    expect(doc.triage.urgency.label).toBe('emergent');
  });

  it('answers a resend with the stored ACK and creates nothing; a reused control id with new content is flagged', async () => {
    const text = ref('E2E-2');
    const first = await send(text);
    const again = await send(text);
    expect(again).toBe(first);
    expect(await messageRows('E2E-2')).toHaveLength(1);
    const changed = ackOf(await send(ref('E2E-2', { name: 'Quill^Otto' })));
    expect(changed.get('MSA', 1)).toBe('AA');
    const rows = await messageRows('E2E-2');
    expect(rows).toHaveLength(2);
    const flagged = rows.find((r) => r.flags.includes('control_id_reused'))!;
    const [d] = await db().select().from(schema.documents).where(eq(schema.documents.id, flagged.documentId!));
    expect(d!.intakeFlags).toContain('control_id_reused');
    expect(d!.supersedes).toBe(rows.find((r) => r !== flagged)!.documentId);
  });

  it('gives AE with the reason for a broken referral and keeps it; AR for what it does not take', async () => {
    const noPid = ackOf(await send(ref('E2E-3').replace(/\rPID\|[^\r]*/, '')));
    expect([noPid.get('MSA', 1), noPid.get('MSA', 2), noPid.get('ERR', 3, 1), noPid.get('ERR', 2, 1)]).toEqual(['AE', 'E2E-3', '100', 'PID']);
    expect(noPid.get('MSA', 3)).toMatch(/requires a PID segment/);
    const adt = ackOf(await send('MSH|^~\\&|ADT|HOSP|TRIAGE|HOSP|20261201||ADT^A01|E2E-4|P|2.5\rPID|1||X1'));
    expect([adt.get('MSA', 1), adt.get('ERR', 3, 1)]).toEqual(['AR', '200']);
    const kept = await db().select().from(schema.interfaceMessages).where(sql`${schema.interfaceMessages.controlId} in ('E2E-3', 'E2E-4')`);
    expect(kept.map((k) => [k.controlId, k.status, k.errorCode]).sort()).toEqual([['E2E-3', 'error', 100], ['E2E-4', 'rejected', 200]]);
    expect(kept.every((k) => k.documentId === null)).toBe(true);
    // An operator lists what was refused, and why, through the API.
    const admin = await sys.token('admin');
    const listed = await api('/v1/interface/messages?status=error', admin);
    expect(listed.body.messages).toContainEqual(expect.objectContaining({ controlId: 'E2E-3', errorCode: 100, ackCode: 'AE', status: 'error' }));
    expect((await api('/v1/interface/messages?status=nope', admin)).status).toBe(400);
  });

  it('reads byte-at-a-time frames, two frames in one write, and windows-1252 names', async () => {
    const name = Buffer.from('Müller^Zoë', 'latin1').toString('latin1');
    const one = Buffer.from(ref('E2E-5', { name }), 'latin1');
    const [ack5] = await rawExchange(frame(one), 1, 1);
    expect(ackOf(ack5!).get('MSA', 1)).toBe('AA');
    const two = Buffer.concat([frame(ref('E2E-6')), frame(ref('E2E-7')), Buffer.from('\n')]);
    const acks = await rawExchange(two, 2);
    expect(acks.map((a) => ackOf(a).get('MSA', 2))).toEqual(['E2E-6', 'E2E-7']);
    const [row] = await messageRows('E2E-5');
    const doc = await waitFor(async () => (await api(`/v1/documents/${row!.documentId}`, reviewer)).body.fields, { timeoutMs: 60_000, what: 'fields' });
    expect(doc.patientName.value).toBe('Zoë Müller');
  });

  it('takes a 20 MB embedded PDF whole', async () => {
    const pdf = await makeBornDigitalPdf(['Dear Cardiology colleagues, please see this patient with chest pain.']);
    // Padding after %%EOF keeps the PDF readable while making the frame as large as a scanned letter.
    const big = Buffer.concat([pdf, Buffer.from('\n%'), Buffer.alloc(15 * 1024 * 1024, 0x20)]);
    const text = ref('E2E-8', { extra: [`OBX|1|ED|LETTER^Referral letter||^application^pdf^Base64^${big.toString('base64')}||||||F`] });
    const [ack] = await rawExchange(frame(text), 1);
    expect(ackOf(ack!).get('MSA', 1)).toBe('AA');
    const [row] = await messageRows('E2E-8');
    expect(row!.byteSize).toBeGreaterThan(20 * 1024 * 1024);
    const [d] = await db().select().from(schema.documents).where(eq(schema.documents.id, row!.documentId!));
    expect(d).toMatchObject({ kind: 'pdf', byteSize: big.length });
  });

  it('cancels the referral a REF^I14 names, and refuses a cancel for a key it never saw (AE 204)', async () => {
    await send(ref('E2E-9', { key: 'K-CANCEL' }));
    const [orig] = await messageRows('E2E-9');
    const ack = ackOf(await send(ref('E2E-10', { key: 'K-CANCEL', event: 'I14' })));
    expect(ack.get('MSA', 1)).toBe('AA');
    const [d] = await db().select().from(schema.documents).where(eq(schema.documents.id, orig!.documentId!));
    expect(d!.cancelledAt).toBeInstanceOf(Date);
    const unknown = ackOf(await send(ref('E2E-11', { key: 'K-NEVER', event: 'I14' })));
    expect([unknown.get('MSA', 1), unknown.get('ERR', 3, 1)]).toEqual(['AE', '204']);
  });

  it('answers AR, and sends no AA, while Postgres cannot be reached; the resend is then accepted', async () => {
    // The same listener wiring, on a database handle that cannot connect (a closed port).
    const dead = await openDb({ url: 'postgres://postgres@127.0.0.1:9/none', embeddedDir: '' });
    const listener = await startMllpListener(
      { db: dead.db, blobs: sys.rt.blobs, keyring: sys.rt.keyring, queues: sys.rt.queues, log: sys.rt.log, clinics: sys.rt.policy.clinics },
      { port: 0, host: '127.0.0.1', maxBytes: 1024 * 1024, defaultEncoding: 'windows-1252' },
    );
    try {
      const down = new Hl7Client({ host: '127.0.0.1', port: listener.port });
      const ack = ackOf((await down.sendAndWait(Hl7Message.parse(ref('E2E-12')))).toString());
      down.close();
      expect([ack.get('MSA', 1), ack.get('MSA', 2)]).toEqual(['AR', 'E2E-12']);
      expect(await messageRows('E2E-12')).toHaveLength(0);
    } finally {
      await listener.close();
      await dead.close().catch(() => undefined);
    }
    expect(ackOf(await send(ref('E2E-12'))).get('MSA', 1)).toBe('AA');
  });
});

describe('HL7 v2 over HTTP', () => {
  const post = (body: string, token = intake) =>
    api('/v1/hl7', token, { method: 'POST', headers: { 'content-type': 'x-application/hl7-v2+er7' }, body: Buffer.from(body, 'latin1') });
  it('answers 200 with the ACK as the body, whatever the code', async () => {
    const ok = await post(ref('E2E-H1'));
    expect(ok.status).toBe(200);
    expect(ok.type).toMatch(/x-application\/hl7-v2\+er7/);
    expect(ackOf(ok.body).get('MSA', 1)).toBe('AA');
    const bad = await post('MSH|^~\\&|GPSYS|HILL|T|H|2026||REF^I12|E2E-H2|P|9.9\rPID|1||1');
    expect(bad.status).toBe(200);
    expect([ackOf(bad.body).get('MSA', 1), ackOf(bad.body).get('ERR', 3, 1)]).toEqual(['AR', '203']);
    const [row] = await messageRows('E2E-H1');
    expect(row).toMatchObject({ channel: 'http', endpoint: 'token:intake-e2e' });
  });
  it('answers every shared sample with a well-formed ACK: AA (or CA) for referrals, AR for other message types, never a transport error', async () => {
    const dir = sharedPath('datasets', 'hl7v2');
    const codes: Record<string, string[]> = {};
    for (const f of (await readdir(dir)).filter((n) => n.endsWith('.hl7'))) {
      const res = await api('/v1/hl7', intake, { method: 'POST', headers: { 'content-type': 'x-application/hl7-v2+er7' }, body: await readFile(`${dir}/${f}`) });
      expect(res.status, f).toBe(200);
      const ack = ackOf(res.body);
      (codes[ack.get('MSA', 1)] ??= []).push(f);
      expect(ack.get('MSA', 2), f).not.toBe('');
    }
    expect(codes.AA?.sort()).toEqual(['LAB-ORM-1.hl7', 'MDM-T02-01.hl7', 'MDM-T02-02.hl7', 'MDM-T10-01.hl7', 'MDM-T10-02.hl7', 'OMG-O19-01.hl7', 'OMG-O19-02.hl7', 'ORM-O01-01.hl7', 'ORM-O01-02.hl7', 'ORM-O01-03.hl7', 'ORM-O01-05.hl7', 'ORM-O01-06.hl7', 'REF-I12-01.hl7', 'REF-I14-02.hl7']);
    // Senders that fill MSH-15/16 asked for enhanced mode: commit accept / commit reject. No sample is malformed (no AE).
    expect(codes.CA).toEqual(['MDM-T02-03.hl7']);
    expect(Object.keys(codes).sort()).toEqual(['AA', 'AR', 'CA', 'CR']);
  });
  it('counts messages by channel and outcome and times the ACK', async () => {
    const metrics = await (await fetch(`${sys.url}/metrics`)).text();
    expect(metrics).toMatch(/triage_hl7_messages_total\{channel="mllp",status="accepted"\} [1-9]/);
    expect(metrics).toMatch(/triage_hl7_messages_total\{channel="http",status="rejected"\} [1-9]/);
    expect(metrics).toMatch(/triage_hl7_ack_seconds_bucket\{le="0.05",channel="mllp"\} \d+/);
  });
  it('refuses the transport without a token or a body', async () => {
    expect((await post(ref('E2E-H3'), 'nope')).status).toBe(401);
    expect((await post('')).status).toBe(400);
    expect((await post(ref('E2E-H4'), reviewer)).status).toBe(403);
  });
});
