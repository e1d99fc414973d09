// The evaluation report's content: what was measured, how, and where it breaks down.
import { URGENCIES } from '@triage/classifier';
import type { RoutingPolicy } from '@triage/routing';
import { computeMetrics, coverageCurve, groupBy, specialtyReliability, specialtyScored, urgencyReliability, urgencyScored, type EvalCase } from './cases.ts';
import { confusionMatrix, expectedCalibrationError } from './metrics.ts';
import type { PredictionRun } from './predictions.ts';
import type { ChannelInfo } from './channels.ts';
import { channelSection } from './channel-report.ts';
import type { RedFlagRules } from '@triage/routing';
import type { ReportDoc, Section, Table } from './report.ts';
import { SUBGROUP_DIMENSIONS } from './subgroups.ts';
import { confusionHeatmap, lineChart, reliabilityDiagram } from './svg.ts';

export type EvalReportInput = {
  cases: EvalCase[];
  run: PredictionRun;
  policy: RoutingPolicy;
  policyPath: string;
  rules: RedFlagRules | null;
  metrics: Record<string, number>;
  /** The sampled records through every channel; the `channel` subgroup table and the Channels section. */
  channelCases?: EvalCase[];
  channelInfo?: ChannelInfo;
  data: string[];
  seconds: number;
};

const OVERALL: Array<[string, string]> = [
  ['specialty.top1Accuracy', 'specialty top-1 accuracy (any of the document’s labels)'],
  ['specialty.macroF1', 'specialty macro-F1'],
  ['specialty.ece', 'specialty ECE (10 bins)'],
  ['urgency.accuracy', 'urgency accuracy (model)'],
  ['urgency.macroF1', 'urgency macro-F1 (model)'],
  ['urgency.emergentRecall', 'emergent recall (model)'],
  ['urgency.ece', 'urgency ECE (10 bins)'],
  ['urgencyWithRedFlags.accuracy', 'urgency accuracy after red flags'],
  ['urgencyWithRedFlags.emergentRecall', 'emergent recall after red flags'],
  ['auto.coverage', 'auto-route coverage (share of all cases auto-routed)'],
  ['auto.precision', 'auto-route precision (every labelled head right)'],
  ['auto.specialtyPrecision', 'auto-routed specialty precision'],
  ['auto.urgencyAccuracy', 'auto-routed urgency accuracy (after red flags)'],
  ['triage.underTriageRate', '**under-triage**: emergent cases auto-routed as non-emergent, of all emergent'],
  ['triage.overTriageRate', 'over-triage: non-emergent cases auto-routed as emergent, of all non-emergent'],
  ['urgencyGate.coverage', 'urgency-labelled cases passing every non-specialty check (as if specialty were confident)'],
  ['urgencyGate.accuracy', 'urgency accuracy of those cases'],
  ['urgencyGate.underTriageRate', '**under-triage if specialty passed** (the safety number to watch on these datasets)'],
  ['urgencyGate.overTriageRate', 'over-triage if specialty passed'],
  ['redFlags.hitRate', 'cases with any red-flag hit'],
  ['redFlags.raisedRate', 'cases whose urgency a red flag raised'],
];

const SUBGROUP_COLUMNS: Array<[string, string]> = [
  ['cases', 'n'],
  ['specialty.top1Accuracy', 'spec acc'],
  ['specialty.macroF1', 'spec F1'],
  ['urgency.accuracy', 'urg acc'],
  ['urgency.macroF1', 'urg F1'],
  ['urgency.emergentRecall', 'emerg recall'],
  ['auto.coverage', 'coverage'],
  ['auto.precision', 'auto prec'],
  ['triage.underTriageRate', 'under-triage'],
  ['triage.overTriageRate', 'over-triage'],
  ['urgencyGate.underTriageRate', 'under-triage (urg gate)'],
  ['specialty.ece', 'spec ECE'],
  ['urgency.ece', 'urg ECE'],
];

function subgroupTable(cases: EvalCase[], dim: (typeof SUBGROUP_DIMENSIONS)[number]): Table {
  const rows = [...groupBy(cases, dim)].map(([g, members]) => {
    const m = computeMetrics(members);
    return [g, ...SUBGROUP_COLUMNS.map(([k]) => m[k])];
  });
  return { columns: [dim, ...SUBGROUP_COLUMNS.map(([, label]) => label)], rows };
}

function redFlagTable(cases: EvalCase[], rules: RedFlagRules): Table {
  const rows = rules.rules.map((rule) => {
    const fired = cases.filter((c) => c.flags.hits.some((h) => h.ruleId === rule.id));
    const gold = (u: string) => fired.filter((c) => c.urgencyGold === u).length;
    const labelled = fired.filter((c) => c.urgencyGold).length;
    return [rule.id, rule.action, fired.length, ...URGENCIES.map(gold), labelled ? gold('emergent') / labelled : undefined];
  });
  return { columns: ['rule', 'action', 'cases fired', 'gold emergent', 'gold urgent', 'gold routine', 'share emergent'], rows };
}

function sampledRecords(channelCases: EvalCase[], total: number): string {
  const n = channelCases.filter((c) => c.groups.channel === 'text').length;
  return n === total ? `all ${n} records` : `the ${n} sampled records`;
}

export function buildEvalReport(input: EvalReportInput): ReportDoc {
  const { cases, run, policy, metrics, rules } = input;
  const channelCases = input.channelCases ?? cases;
  const documentChannels = input.channelInfo?.channels.filter((c) => c !== 'text') ?? [];
  const t = policy.thresholds;
  const specLabels = [...new Set(cases.flatMap((c) => (c.specialtyGold ? [...c.specialtyGold, c.pred.specialty.label] : [])))].sort();
  const curve = coverageCurve(cases, policy);
  const sections: Section[] = [
    {
      heading: 'How this was measured',
      blocks: [
        { text: `**Mode: ${run.mode}.** ${run.description}` },
        {
          list: [
            `data: ${input.data.map((d) => `\`${d}\``).join(', ')} (${cases.length} labelled records)`,
            `routing policy \`${policy.version}\` from \`${input.policyPath}\`: thresholds urgency ${t.urgency}, specialty ${t.specialty}, emergentReview ${t.emergentReview}${policy.paused ? ' (PAUSED)' : ''}`,
            rules ? `red-flag rules \`${rules.version}\` (${rules.rules.length} rules) applied before the policy: they only raise urgency or force review` : 'red-flag rules: not applied',
            documentChannels.length
              ? `sections other than Channels and "By channel": the records' text as is (no OCR); ${input.channelInfo!.sampled} sampled records also through ${documentChannels.join(', ')} (see Channels)`
              : 'no OCR: every case is evaluated as if all pages were readable (`--via pdf,fax` runs the document stages too)',
            `run time ${input.seconds.toFixed(1)} s`,
          ],
        },
        {
          text:
            'Each record has the labels its dataset provides (KTAS: urgency only; MTSamples: specialty only), so ' +
            'every head is scored on the records that carry its label, and "auto precision" checks every head the ' +
            'record has a label for. Both heads still decide whether a case auto-routes, and the specialty head is rarely ' +
            'confident on a one-line ED triage note, so KTAS cases seldom auto-route and the full-policy under-triage ' +
            'rate is flattered. The `urgencyGate.*` metrics assume the specialty check passed: read those for safety.',
        },
      ],
    },
    {
      heading: 'Overall',
      blocks: [{ table: { columns: ['metric', 'value', 'meaning'], rows: OVERALL.map(([k, label]) => [`\`${k}\``, metrics[k], label]) } }],
    },
    {
      heading: 'Confusion matrices',
      blocks: [
        { text: 'Specialty rows: the predicted label when it is one of the document’s labels, otherwise its first listed label.' },
        {
          charts: [
            { file: 'urgency-confusion.svg', title: 'Urgency (model, before red flags)', svg: confusionHeatmap('Urgency (model, before red flags)', URGENCIES, confusionMatrix(urgencyScored(cases), URGENCIES)) },
            { file: 'urgency-confusion-red-flags.svg', title: 'Urgency after red flags', svg: confusionHeatmap('Urgency after red flags', URGENCIES, confusionMatrix(urgencyScored(cases, true), URGENCIES)) },
            { file: 'specialty-confusion.svg', title: 'Specialty', svg: confusionHeatmap('Specialty', specLabels, confusionMatrix(specialtyScored(cases), specLabels)) },
          ],
        },
      ],
    },
    {
      heading: 'Calibration',
      blocks: [
        { text: 'Bars: accuracy per confidence bin (count inside); red dots: mean confidence of the bin; dashed: perfect calibration.' },
        {
          charts: [
            { file: 'urgency-reliability.svg', title: 'Urgency reliability', svg: reliabilityDiagram('Urgency reliability', urgencyReliability(cases), expectedCalibrationError(urgencyReliability(cases))) },
            { file: 'specialty-reliability.svg', title: 'Specialty reliability', svg: reliabilityDiagram('Specialty reliability', specialtyReliability(cases), expectedCalibrationError(specialtyReliability(cases))) },
          ],
        },
      ],
    },
    {
      heading: 'Auto-routing: coverage vs accuracy',
      blocks: [
        { text: `One confidence threshold used for both heads, swept 0 → 1 in steps of 0.05; emergentReview (${t.emergentReview}), red flags and teams as in the policy. The circle marks the current policy.` },
        {
          charts: [
            {
              file: 'coverage-accuracy.svg',
              title: 'Coverage vs accuracy',
              svg: lineChart(
                'Auto-routing: coverage vs accuracy',
                'coverage (share auto-routed)',
                'rate',
                [
                  { name: 'auto precision', color: '#2a6', points: curve.map((p) => ({ x: p.coverage, y: p.accuracy })) },
                  { name: 'under-triage', color: '#c33', points: curve.map((p) => ({ x: p.coverage, y: p.underTriage })) },
                  { name: 'under-triage if specialty passed', color: '#e90', points: curve.map((p) => ({ x: p.coverage, y: p.gateUnderTriage })) },
                ],
                metrics['auto.precision'] !== undefined ? { x: metrics['auto.coverage'] ?? 0, y: metrics['auto.precision'], label: 'policy' } : undefined,
              ),
            },
          ],
        },
        {
          table: {
            columns: ['threshold', 'coverage', 'auto precision', 'under-triage', 'under-triage if specialty passed'],
            rows: curve.filter((_, i) => i % 2 === 0).map((p) => [p.threshold.toFixed(2), p.coverage, p.accuracy ?? undefined, p.underTriage ?? undefined, p.gateUnderTriage ?? undefined]),
          },
        },
      ],
    },
    {
      heading: 'Subgroups',
      blocks: [
        {
          text:
            'Age band and sex are parsed from the text (first "NN-year-old"; first male/female/man/woman word). Document ' +
            'type comes from MTSamples `document_types` (first listed); "unknown" there means the dataset gives none. ' +
            'Small groups are noisy: check n before reading a difference.',
        },
        ...SUBGROUP_DIMENSIONS.flatMap((dim) => [
          { text: dim === 'channel' ? `**By channel** (${sampledRecords(channelCases, cases.length)}, each through every channel).` : `**By ${dim}.**` },
          { table: subgroupTable(dim === 'channel' ? channelCases : cases, dim) },
        ]),
      ],
    },
  ];
  if (input.channelInfo) sections.push(channelSection(channelCases, input.channelInfo, policy));
  if (rules) sections.push({ heading: 'Red-flag rules', blocks: [{ text: 'How often each rule fired and the gold urgency of those cases (gold urgency exists only for KTAS).' }, { table: redFlagTable(cases, rules) }] });
  return { title: `Triage quality report (${run.mode})`, sections };
}
