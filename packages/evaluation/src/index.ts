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
