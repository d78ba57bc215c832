import { parseParamArgs, resolveParameters } from '../engine/definition/parameters.js';
import type { ParameterValue } from '../contracts/definition.js';
import type { CacheMode } from '../contracts/cache-decision.js';
import { err, ok, type Result } from '../kernel/result.js';
import { loadPipeline, type LoadedPipeline } from './load-pipeline.js';
import { selectedStepsOf } from './selection.js';

/** Options shared by `plan` and `run`: which definition, with which parameters, forcing which steps. */
export const PIPELINE_OPTIONS = {
  param: { type: 'string', multiple: true }, name: { type: 'string' }, 'no-cache': { type: 'boolean' },
  rerun: { type: 'string', multiple: true }, json: { type: 'boolean' },
  steps: { type: 'string', multiple: true }, 'from-run': { type: 'string' }, cache: { type: 'string' }, 's3-read-through': { type: 'boolean' },
} as const;

export interface PipelineRequest {
  loaded: LoadedPipeline;
  parameters: Record<string, ParameterValue>;
  noCache: boolean;
  rerun: string[];
  /** `--steps A,B` (selective execution), names unchecked here: see cli/selection.ts. */
  selectedSteps?: string[];
  fromRun?: string;
  /** `--cache sagemaker`; absent: cairn's rules. */
  cache?: CacheMode;
}

/** `--cache cairn|sagemaker` (absent: undefined, which is cairn's rules). */
export function readCacheMode(v: unknown): Result<CacheMode | undefined, string[]> {
  if (v === undefined) return ok(undefined);
  if (v === 'cairn' || v === 'sagemaker') return ok(v);
  return err([`--cache must be "cairn" (content-addressed reuse, the default) or "sagemaker" (SageMaker's step caching); got ${JSON.stringify(v)}`]);
}

/** Loads and validates the definition, type-checks `--param` overrides and `--rerun` names: every problem as a line. */
export async function readPipelineRequest(file: string, values: Record<string, unknown>): Promise<Result<PipelineRequest, string[]>> {
  const selected = selectedStepsOf(values);
  if (!selected.ok) return selected;
  const loaded = await loadPipeline(file, values.name as string | undefined, { selective: selected.value.selectedSteps !== undefined });
  if (!loaded.ok) return loaded;
  const def = loaded.value.definition;
  const overrides = parseParamArgs((values.param as string[] | undefined) ?? []);
  if (!overrides.ok) return overrides;
  const params = resolveParameters(def, overrides.value);
  if (!params.ok) return err(params.error.map((l) => `${def.file}: ${l}`));
  const rerun = (values.rerun as string[] | undefined) ?? [];
  const unknown = rerun.filter((r) => !def.steps.some((s) => s.name === r));
  if (unknown.length > 0) return err([`--rerun names unknown step(s): ${unknown.join(', ')}`]);
  const cache = readCacheMode(values.cache);
  if (!cache.ok) return cache;
  return ok({
    loaded: loaded.value, parameters: params.value, noCache: values['no-cache'] === true, rerun, ...selected.value,
    ...(cache.value !== undefined ? { cache: cache.value } : {}),
  });
}
