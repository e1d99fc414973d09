// Fitting one head of either kind, and k-fold cross-validation, shared by model selection and calibration.
import type { ParsedDoc } from './features.ts';
import { foldRows } from './folds.ts';
import { fitLrHead, lrHeadLogits, type FittedLr, type HeadData, type LrSetting } from './lr-head.ts';
import { fitStacked, stackedLogits, type FittedStacked, type StackedSetting } from './stacking.ts';

export { assignFolds } from './folds.ts';
export type { HeadData, LrSetting, StackedSetting };

export type HeadSetting = LrSetting | StackedSetting;
export type FittedHead = ({ kind: 'lr' } & FittedLr) | ({ kind: 'stacked-gbt' } & FittedStacked);

export function isStacked(setting: HeadSetting): setting is StackedSetting {
  return 'kind' in setting && setting.kind === 'stacked-gbt';
}

export function fitHead(data: HeadData, setting: HeadSetting, rows?: number[]): FittedHead {
  return isStacked(setting)
    ? { kind: 'stacked-gbt', ...fitStacked(data, setting, rows) }
    : { kind: 'lr', ...fitLrHead(data, setting, rows) };
}

export function headLogits(head: FittedHead, docs: ParsedDoc[]): Float64Array[] {
  return head.kind === 'lr' ? lrHeadLogits(head, docs) : stackedLogits(head, docs);
}

/** Out-of-fold logits for every doc: each fold's model (vocabulary included) never sees its own fold. */
export function crossValidate(data: HeadData, setting: HeadSetting, fold: number[], folds: number): Float64Array[] {
  const out = new Array<Float64Array>(data.docs.length);
  for (let f = 0; f < folds; f++) {
    const { train, test } = foldRows(fold, f);
    if (!test.length) continue;
    const head = fitHead(data, setting, train);
    const logits = headLogits(
      head,
      test.map((i) => data.docs[i]!),
    );
    test.forEach((i, r) => {
      out[i] = logits[r]!;
    });
  }
  return out;
}
