import type { SelectiveOptions } from '../contracts/records.js';
import type { Store } from '../cache/store.js';
import type { Definition } from '../contracts/definition.js';
import { err, ok, type Result } from '../kernel/result.js';
import { resolveSelection } from '../engine/run/selective.js';

/** `--steps A,B` (repeatable) and `--from-run R` as given; `--from-run` alone is a usage problem. */
export function selectedStepsOf(values: Record<string, unknown>): Result<{ selectedSteps?: string[]; fromRun?: string }, string[]> {
  const raw = (values.steps as string[] | undefined) ?? [];
  const fromRun = values['from-run'] as string | undefined;
  const steps = raw.flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (raw.length > 0 && steps.length === 0) return err(['--steps needs at least one step name (e.g. --steps Train,Evaluate).']);
  if (fromRun !== undefined && raw.length === 0) {
    return err(['--from-run names the reference run of a selective execution; give the steps to run with --steps too.']);
  }
  return ok({ ...(raw.length > 0 ? { selectedSteps: steps } : {}), ...(fromRun !== undefined ? { fromRun } : {}) });
}

/**
 * Checks the selection against the store (before anything is recorded) and prints, on stderr, which run the upstream
 * steps are reused from. Undefined when no `--steps` was given.
 */
export function resolveCliSelection(
  store: Store, def: Definition, pipeline: string, req: { selectedSteps?: string[]; fromRun?: string },
): Result<SelectiveOptions | undefined, string[]> {
  if (req.selectedSteps === undefined) return ok(undefined);
  const r = resolveSelection(store, def, pipeline, req.selectedSteps, req.fromRun);
  if (!r.ok) return r;
  const { selective, reused, picked } = r.value;
  if (reused.length > 0) {
    const how = picked ? `the newest run of pipeline "${pipeline}" in which they succeeded; name another with --from-run` : '--from-run';
    console.error(`selective execution of ${selective.steps.join(', ')}: upstream step(s) ${reused.join(', ')} reused from run ${selective.fromRun} (${how})`);
  }
  return ok(selective);
}
