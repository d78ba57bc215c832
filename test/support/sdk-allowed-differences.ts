import type { Difference } from './definition-diff.js';

/**
 * The only ways a definition written with cairn/sdk may differ from the one the SageMaker Python SDK v2 writes for the
 * same pipeline (test/sagemaker-sdk/oracle-*.test.ts; the README's "Checked against the Python SDK" lists them too).
 * Anything else is a bug on the TypeScript side. Not on the list, because they match exactly: the content-hashed keys
 * of uploaded code (cairn hashes as the SDK's hash_files_or_dirs does, over the paths as written), runproc.sh keys,
 * and default output locations (Join of bucket, pipeline, execution id, step, "output", name).
 */
export interface AllowedDifference {
  id: string;
  why: string;
  applies(d: Difference): boolean;
}

const TIMESTAMPED_MODEL_DIR = /^"s3:\/\/.+-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-\d{3}\/model"$/;

export const ALLOWED_DIFFERENCES: readonly AllowedDifference[] = [
  {
    id: 'timestamped-model-dir',
    why: "TensorFlow's model_dir hyperparameter: the SDK writes s3://<output path>/<job name>-<timestamp>/model, which "
      + 'changes on every build (and so every cache key); cairn writes "/opt/ml/model" (TensorFlowOptions.modelDir).',
    applies: (d) => d.kind === 'value' && d.path.endsWith('.HyperParameters.model_dir')
      && typeof d.sdk === 'string' && TIMESTAMPED_MODEL_DIR.test(d.sdk) && d.cairn === '"/opt/ml/model"',
  },
];

/** Differences no allowed difference explains, and the ids of the allowances that were used. */
export function unexplained(diffs: readonly Difference[]): { left: Difference[]; used: string[] } {
  const used = new Set<string>();
  const left: Difference[] = [];
  for (const d of diffs) {
    const a = ALLOWED_DIFFERENCES.find((x) => x.applies(d));
    if (a === undefined) left.push(d);
    else used.add(a.id);
  }
  return { left, used: [...used].sort() };
}
