// @triage/evaluation: triage quality evaluation, threshold selection and clinical red-flag rules.
export type { EvalCommandArgs, EvalCommandResult } from './evaluate.ts';
export { DEFAULT_POLICY_PATH, allMetrics, prepareCases, runEvalCommand } from './evaluate.ts';
export type { ThresholdCommandArgs, ThresholdCommandResult, Thresholds } from './thresholds.ts';
export { bumpVersion, chooseThresholds, runThresholdCommand } from './thresholds.ts';
export { highestEmergentReview, lowestThresholdForPrecision } from './threshold-sweep.ts';
export { parseEvaluationArgs } from './evaluation.cli.ts';
export type { Channel, ChannelInfo, PipelineSettings } from './channels.ts';
export { CHANNELS, parseVia, pipelineSettings } from './channels.ts';
export { stratifiedSample } from './sample.ts';
export type { ParsedFieldsEvalArgs } from './evaluation.cli.ts';
export type { FieldsEvalArgs, FieldsEvalResult } from './referrals/run-fields-eval.ts';
export { runFieldsEvalCommand } from './referrals/run-fields-eval.ts';
export type { FieldsReport } from './referrals/fields-report.ts';
export type { FieldChannel } from './referrals/fields-channels.ts';
export { FIELD_CHANNELS, parseFieldsVia } from './referrals/fields-channels.ts';
export type { GeneratedReferral, ReferralLabels, TruthValues } from './referrals/referral-types.ts';
export { generateReferrals } from './referrals/generate.ts';
export { loadClinicalSources } from './referrals/clinical-source.ts';
