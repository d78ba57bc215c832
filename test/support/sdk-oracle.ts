import type { MotoServer } from '../cloud/moto-harness.js';
import { diffDefinitions, formatDifference, type Difference } from './definition-diff.js';
import { writeDefinitionWithSdk } from './sagemaker-sdk.js';
import { unexplained } from './sdk-allowed-differences.js';

export interface OracleComparison {
  /** Every structural difference, allowed or not. */
  all: Difference[];
  /** The differences no entry of test/support/sdk-allowed-differences.ts explains, formatted with their paths. */
  unexplained: string[];
  /** Ids of the allowed differences that were needed. */
  allowed: string[];
  sdk: Record<string, unknown>;
}

/** Writes `python` with the real SDK and diffs the result against cairn's definition of the same pipeline. */
export async function compareWithSdk(
  moto: MotoServer, python: string, cairn: Record<string, unknown>, opts: { cwd?: string; files?: Record<string, string> } = {},
): Promise<OracleComparison> {
  const { definition } = await writeDefinitionWithSdk(moto, python, opts);
  const all = diffDefinitions(definition, cairn);
  const r = unexplained(all);
  return { all, unexplained: r.left.map(formatDifference), allowed: r.used, sdk: definition };
}
