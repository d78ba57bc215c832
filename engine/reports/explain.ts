import type { Fingerprint, FingerprintChange } from '../../contracts/fingerprint.js';
import type { CacheDecision } from '../../contracts/cache-decision.js';
import type { StepRecord } from '../../contracts/records.js';
import { diffFingerprints } from '../../cache/fingerprint.js';
import type { Store } from '../../cache/store.js';

/**
 * Why a step of a run was reused or run: the decision the run stored (engine/run/cache-decision.ts), exactly; for a
 * changed fingerprint, the field-by-field diff against the run the decision names. cli/explain-text.ts words it.
 */
export type Explanation =
  | { kind: 'unknown-run'; runId: string }
  | { kind: 'unknown-step'; runId: string; name: string; steps: string[] }
  /** The step stopped before a decision (arguments, image, preparation), or was skipped or not reached. */
  | { kind: 'undecided'; step: StepRecord }
  | { kind: 'decided'; step: StepRecord; decision: CacheDecision; changes?: FingerprintChange[] }
  /** Recorded by a cairn that did not store decisions: compared with the previous execution, as it then did. */
  | { kind: 'legacy'; step: StepRecord; previousRun?: string; changes: FingerprintChange[] };

export function explainStep(store: Store, runId: string, name: string): Explanation {
  const run = store.getRun(runId);
  if (run === undefined) return { kind: 'unknown-run', runId };
  const step = store.getStep(runId, name);
  if (step === undefined) {
    return { kind: 'unknown-step', runId, name, steps: store.getSteps(runId).map((x) => x.name) };
  }
  const { decision } = step;
  if (decision === undefined) {
    if (step.fingerprint === undefined) return { kind: 'undecided', step };
    const prev = store.previousFingerprint(run.pipeline, name, run);
    return {
      kind: 'legacy', step, ...(prev ? { previousRun: prev.runId } : {}),
      changes: prev === undefined ? [] : diffFingerprints(JSON.parse(prev.fingerprint) as Fingerprint, JSON.parse(step.fingerprint) as Fingerprint),
    };
  }
  if (decision.reason.kind !== 'fingerprint-changed' || step.fingerprint === undefined) return { kind: 'decided', step, decision };
  const before = store.getStep(decision.reason.sinceRun, name)?.fingerprint;
  const changes = before === undefined ? [] : diffFingerprints(JSON.parse(before) as Fingerprint, JSON.parse(step.fingerprint) as Fingerprint);
  return { kind: 'decided', step, decision, changes };
}
