import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedPath } from '@triage/testkit';
import { ackHeader, buildAck } from './ack.ts';
import { decodeMessage } from './decode.ts';
import { Hl7ParseError, parseMessage } from './message.ts';

const DIR = sharedPath('datasets', 'hl7v2');
const samples = readdirSync(DIR).filter((f) => f.endsWith('.hl7'));

describe('parseMessage', () => {
  it('parses every shared sample (LF, CR and BOM variants included)', () => {
    expect(samples.length).toBeGreaterThan(50);
    for (const f of samples) {
      const msg = parseMessage(decodeMessage(readFileSync(`${DIR}/${f}`)).text);
      expect(msg.segments[0]!.name, f).toBe('MSH');
      expect(msg.get('MSH', 10), f).not.toBe('');
    }
  });

  it('reads fields, components, repetitions and subcomponents, whichever line ending', () => {
    for (const eol of ['\r', '\n', '\r\n']) {
      const m = parseMessage(['MSH|^~\\&|APP|FAC|RCV|RFAC|20240101||REF^I12|C1|P|2.5', 'PID|1||A1^^^H^MR~B2^^^N^NH||Doe&Van^Jane^Q'].join(eol));
      expect(m.get('MSH', 1)).toBe('|');
      expect(m.get('MSH', 2)).toBe('^~\\&');
      expect(m.get('MSH', 9, 2)).toBe('I12');
      expect(m.get('PID', 3, 1, 0, 1)).toBe('B2');
      expect(m.get('PID', 5, 1, 2)).toBe('Van');
    }
  });

  it("uses the message's own delimiters", () => {
    const m = parseMessage('MSH*#@!$*APP*FAC*R*RF*2024**REF#I12*C9*P*2.5\rPID*1**X1#2');
    expect(m.get('MSH', 9, 1)).toBe('REF');
    expect(m.get('PID', 3, 2)).toBe('2');
  });

  it('decodes escape sequences', () => {
    const m = parseMessage('MSH|^~\\&|A|B|C|D|2024||REF^I12|C1|P|2.5\rNTE|||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g\\X41\\\\H\\bold\\N\\');
    expect(m.get('NTE', 3)).toBe('a|b^c&d~e\\f\ngAbold');
  });

  it('refuses what is not HL7, with a typed reason', () => {
    for (const bad of ['', 'hello', 'PID|1', 'MSH', 'MSH|^~\\&|A\rMSH|^~\\&|B', 'MSH|^~\\&|A\r1AB|x']) {
      expect(() => parseMessage(bad), bad).toThrow(Hl7ParseError);
    }
  });
});

describe('decodeMessage', () => {
  const msh = (charset = '') => `MSH|^~\\&|A|B|C|D|2024||REF^I12|C1|P|2.5|||||${charset ? `|${charset}` : ''}\rPID|1||1||`;
  it('reads windows-1252 names by default and UTF-8 when declared', () => {
    const cp = Buffer.concat([Buffer.from(msh(), 'latin1'), Buffer.from([0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x80])]);
    expect(decodeMessage(cp).text.endsWith('Müller€')).toBe(true);
    const utf = Buffer.from(`${msh('UNICODE UTF-8')}Müller`, 'utf8');
    expect(decodeMessage(utf)).toMatchObject({ encoding: 'utf-8', declared: 'UNICODE UTF-8' });
    expect(decodeMessage(utf).text.endsWith('Müller')).toBe(true);
  });
  it('tolerates a BOM and falls back when "UTF-8" is not', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${msh()}Zoë`, 'utf8')]);
    expect(decodeMessage(bom)).toMatchObject({ bom: true, encoding: 'utf-8' });
    expect(decodeMessage(bom).text.startsWith('MSH')).toBe(true);
    const mislabelled = Buffer.concat([Buffer.from(msh('UNICODE UTF-8'), 'latin1'), Buffer.from([0xe9])]);
    expect(decodeMessage(mislabelled)).toMatchObject({ encoding: 'windows-1252', fellBack: true });
    expect(decodeMessage(mislabelled).text.endsWith('é')).toBe(true);
  });
});

describe('buildAck', () => {
  const text = 'MSH|^~\\&|SEND|SFAC|RECV|RFAC|20240101||REF^I12^REF_I12|CTRL-7|P|2.5.1\rPID|1';
  it('swaps sender and receiver and echoes MSH-10', () => {
    const ack = parseMessage(buildAck(ackHeader(text), 'accept'));
    expect([ack.get('MSH', 3), ack.get('MSH', 5), ack.get('MSH', 9, 1), ack.get('MSH', 9, 2), ack.get('MSH', 12)]).toEqual(['RECV', 'SEND', 'ACK', 'I12', '2.5.1']);
    expect([ack.get('MSA', 1), ack.get('MSA', 2)]).toEqual(['AA', 'CTRL-7']);
  });
  it('puts the reason in MSA-3 and ERR, escaped', () => {
    const ack = parseMessage(buildAck(ackHeader(text), 'error', { error: { code: 101, text: 'PID|3 missing', location: 'PID-3' } }));
    expect(ack.get('MSA', 1)).toBe('AE');
    expect(ack.get('MSA', 3)).toBe('PID|3 missing');
    expect([ack.get('ERR', 2, 1), ack.get('ERR', 3, 1), ack.get('ERR', 4)]).toEqual(['PID', '101', 'E']);
  });
  it('answers enhanced mode with commit codes, and old versions with ERR-1', () => {
    const enhanced = text.replace('|2.5.1', '|2.3|||AL|NE');
    expect(parseMessage(buildAck(ackHeader(enhanced), 'reject')).get('MSA', 1)).toBe('CR');
    expect(parseMessage(buildAck(ackHeader(enhanced), 'accept')).get('MSA', 1)).toBe('CA');
    const old = parseMessage(buildAck(ackHeader(enhanced), 'error', { error: { code: 207, text: 'x', location: 'MSH-9' } }));
    expect(old.get('ERR', 1, 4, 1)).toBe('207');
  });
  it('still answers garbage', () => {
    const ack = parseMessage(buildAck(ackHeader('not hl7 at all'), 'error', { error: { code: 100, text: 'no MSH' } }));
    expect([ack.get('MSA', 1), ack.get('MSA', 2)]).toEqual(['AE', '']);
  });
});
