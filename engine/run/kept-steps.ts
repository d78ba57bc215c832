import type { StepRecord } from '../../contracts/records.js';
import { downstreamOf } from '../definition/graph.js';
import { outputVerifier, type OutputLoss } from './cache-decision.js';
import type { RunContext } from './run-context.js';

/** What an invocation keeps of the steps already succeeded in its run, and which it runs again because of lost outputs. */
export interface KeptSteps {
  kept: StepRecord[];
  /** Steps not kept because a file of their recorded outputs is lost: the loss is their cache decision's reason. */
  lost: Map<string, OutputLoss>;
  /**
   * Succeeded steps not kept whose outputs are intact (downstream of a lost one, or their destination could not be
   * restored): decided again when reached, their record left as it is until then, so the decision can find it.
   */
  redecide: Set<string>;
}

/**
 * The succeeded steps of a run that an invocation keeps (a resume's earlier successes, a selective run's reference
 * steps). Each one's recorded outputs are verified first, with the verifier the cache decision uses: a step with a
 * lost file is not kept (its damaged blobs are dropped, so its commit stores the bytes anew) and neither is any step
 * downstream of it, whose inputs may change: those follow the normal decision (a cache hit on their own execution
 * when the inputs come out the same). A kept step's destinations are put back from the content store where they
 * were changed; one that cannot be is not kept (its reuse then says why).
 */
export async function keptSteps(rc: RunContext, steps: readonly StepRecord[]): Promise<KeptSteps> {
  const { artifacts, store } = rc.services;
  const runId = rc.run.runId;
  const succeeded = steps.filter((s) => s.status === 'succeeded' && s.properties !== undefined);
  const verify = outputVerifier(rc.services);
  const lost = new Map<string, OutputLoss>();
  for (const s of succeeded) {
    const files = await verify({ runId, step: s.name });
    const first = files[0];
    if (first === undefined) continue;
    rc.log.warn({ step: s.name, lost: files }, 'recorded outputs lost: the step runs again');
    await artifacts.discardDamaged(files);
    lost.set(s.name, { sourceRun: s.reusedFrom ?? runId, lost: first });
  }
  const redo = downstreamOf(rc.definition, [...lost.keys()]);
  const kept: StepRecord[] = [];
  const redecide = new Set<string>();
  for (const s of succeeded) {
    if (lost.has(s.name)) continue;
    if (redo.has(s.name)) {
      redecide.add(s.name);
      continue;
    }
    const restored = await artifacts.restoreDestinations(store.getOutputs(runId, s.name));
    if (!restored.ok) {
      rc.log.warn({ step: s.name, failure: restored.error }, 'output destinations not restored: the step is decided again');
      redecide.add(s.name);
      continue;
    }
    if (restored.value.length > 0) rc.log.info({ step: s.name, restored: restored.value }, 'output destinations restored from the content store');
    kept.push(s);
  }
  return { kept, lost, redecide };
}
