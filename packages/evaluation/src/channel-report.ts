// The report's "Channels" section: the same sampled records as text, as born-digital PDFs and as faxes read by OCR.
import type { RoutingPolicy } from '@triage/routing';
import { computeMetrics, groupBy, type EvalCase } from './cases.ts';
import { CHANNELS, type Channel, type ChannelInfo } from './channels.ts';
import { ratio } from './metrics.ts';
import type { Section, Table } from './report.ts';

const COLUMNS: Array<[string, string]> = [
  ['cases', 'n'],
  ['document.pages', 'pages'],
  ['document.ocrPages', 'OCR pages'],
  ['document.ocrMeanConfidence', 'OCR mean conf'],
  ['document.wordRecall', 'word recall'],
  ['document.lowConfidenceRate', 'unreadable-page share'],
  ['document.failedRate', 'failed'],
  ['specialty.top1Accuracy', 'spec acc'],
  ['urgency.accuracy', 'urg acc'],
  ['urgency.emergentRecall', 'emerg recall'],
  ['urgencyWithRedFlags.emergentRecall', 'emerg recall + flags'],
  ['redFlags.hitRate', 'red-flag hit rate'],
  ['auto.coverage', 'coverage'],
  ['auto.precision', 'auto prec'],
  ['triage.underTriageRate', 'under-triage'],
  ['urgencyGate.underTriageRate', 'under-triage (urg gate)'],
];

/** Per channel: how often it reached the same labels and decision as the text channel on the same record. */
type Agreement = { urgency?: number; specialty?: number; decision?: number; redFlags?: number };
const ruleSet = (c: EvalCase) => [...new Set(c.flags.hits.map((h) => h.ruleId))].sort().join(',');

export function agreementWithText(cases: EvalCase[]): Map<Channel, Agreement> {
  const text = new Map(cases.filter((c) => c.groups.channel === 'text' && c.record !== undefined).map((c) => [c.record!, c]));
  const out = new Map<Channel, Agreement>();
  for (const ch of CHANNELS.filter((c) => c !== 'text')) {
    const pairs = cases.flatMap((c) => {
      const t = c.record === undefined ? undefined : text.get(c.record);
      return c.groups.channel === ch && t ? [[c, t] as const] : [];
    });
    if (!pairs.length) continue;
    const share = (same: (a: EvalCase, b: EvalCase) => boolean) => ratio(pairs.filter(([a, b]) => same(a, b)).length, pairs.length);
    out.set(ch, {
      urgency: share((a, b) => a.routed.urgency === b.routed.urgency),
      specialty: share((a, b) => a.pred.specialty.label === b.pred.specialty.label),
      decision: share((a, b) => a.routed.decision === b.routed.decision),
      // A rule that fires on the text but not on the document is a safety net the document loses.
      redFlags: share((a, b) => ruleSet(a) === ruleSet(b)),
    });
  }
  return out;
}

export function channelTable(cases: EvalCase[], info: ChannelInfo): Table {
  const groups = groupBy(cases, 'channel');
  const agree = agreementWithText(cases);
  const rows = CHANNELS.flatMap((ch) => {
    const members = groups.get(ch);
    if (!members) return [];
    const m = computeMetrics(members);
    const a = agree.get(ch);
    return [[ch, ...COLUMNS.map(([k]) => m[k]), a?.urgency, a?.specialty, a?.decision, a?.redFlags, info.seconds[ch]]];
  });
  return { columns: ['channel', ...COLUMNS.map(([, label]) => label), 'same urgency as text', 'same specialty as text', 'same decision as text', 'same red flags as text', 'seconds'], rows };
}

/** Where the channels disagree with text: per source, since each dataset labels only one head. */
export function agreementBySource(cases: EvalCase[]): Table {
  const rows: Table['rows'] = [];
  for (const [source, members] of groupBy(cases, 'source')) {
    for (const [ch, a] of agreementWithText(members)) {
      rows.push([source, ch, members.filter((c) => c.groups.channel === ch).length, a.urgency, a.specialty, a.decision, a.redFlags]);
    }
  }
  return { columns: ['source', 'channel', 'n', 'same urgency', 'same specialty', 'same decision', 'same red flags'], rows };
}

export function channelSection(cases: EvalCase[], info: ChannelInfo, policy: RoutingPolicy): Section {
  const docs = info.channels.filter((c) => c !== 'text');
  return {
    heading: 'Channels',
    blocks: [
      {
        text: docs.length
          ? `The same ${info.sampled} records (a seeded sample, equal per source, stratified by label) read three ways. ` +
            '`text`: the record as is. `digital-pdf`: rendered as a born-digital PDF (Helvetica 12 pt, as many pages as ' +
            'the text needs) and read back by the real `extractPages` in the isolated parser thread (a page with too ' +
            'little text layer goes to OCR, as in the pipeline). `fax-ocr`: rendered as a bilevel CCITT G4 fax TIFF ' +
            `(${info.faxResolution} resolution, with the fixtures' grey paper, skew and speckles), then \`extractPages\`, ` +
            `\`renderPage\` and the OCR engine (${info.engine}). Each channel's page texts are joined as the pipeline joins ` +
            'them and go through the same classifier (under cross-validation, the fold model that never saw the record), ' +
            `red-flag rules and routing policy; OCR pages below the OCR confidence floor add \`unreadable_page\` as persist does (policy \`${policy.version}\`). ` +
            'Only the document stages and the model are measured: no Postgres, Redis or queue is involved.'
          : `Only the text channel was run (over ${info.sampled} records); \`--via text,pdf,fax\` adds born-digital PDF and fax/OCR renderings.`,
      },
      { table: channelTable(cases, info) },
      ...(docs.length ? [{ text: '**Same final urgency / specialty / decision / red-flag rules as the text channel, by source.**' }, { table: agreementBySource(cases) }] : []),
      {
        text:
          'Word recall: the share of the source text’s words (lower-cased, punctuation ignored, counted as a multiset) ' +
          'found again in the text the channel yielded. OCR mean conf: mean tesseract word confidence (0–100) over OCR ' +
          'pages. "Same … as text": the share of records for which this channel ended with the same final urgency ' +
          '(after red flags), specialty, auto/review decision or set of red-flag rules fired as the record’s text. Seconds: wall-clock time of the channel’s document stages over all its documents. Every other metric ' +
          'by channel is in Subgroups → By channel.',
      },
    ],
  };
}
