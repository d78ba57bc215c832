import type { Fingerprint } from '../../contracts/fingerprint.js';
import { diffFingerprints } from '../../cache/fingerprint.js';
import type { Store } from '../../cache/store.js';
import type { StepFailure } from '../../contracts/step-failure.js';
import type { JsonValue } from '../../kernel/json.js';

/** Why a step of a run was reused or run: the fingerprint compared with the previous execution of that step. */
export function explainStep(
  store: Store, runId: string, step: string,
  /** The words of a failure (cli/render-failure.ts): reports hold data, the CLI says it. */
  describe: (step: { name: string; type: string; runId: string }, failure: StepFailure) => string,
): { ok: boolean; lines: string[] } {
  const run = store.getRun(runId);
  if (run === undefined) return { ok: false, lines: [`no run "${runId}"`] };
  const s = store.getStep(runId, step);
  if (s === undefined) {
    return { ok: false, lines: [`run ${runId} has no step "${step}" (steps: ${store.getSteps(runId).map((x) => x.name).join(', ')})`] };
  }
  const lines: string[] = [];
  if (s.fingerprint === undefined) {
    lines.push(`step "${step}" of run ${runId} is ${s.status}: it never got as far as a fingerprint (${s.failure === undefined ? 'not reached' : describe({ name: s.name, type: s.type, runId }, s.failure)})`);
    return { ok: true, lines };
  }
  const fp = JSON.parse(s.fingerprint) as Fingerprint;
  if (s.status === 'succeeded' && s.reusedFrom !== undefined) {
    lines.push(`step "${step}" of run ${runId} was reused from run ${s.reusedFrom}: same fingerprint ${s.fingerprintKey ?? ''}`);
    return { ok: true, lines };
  }
  const ran = s.attempts > 0 ? `ran (${s.attempts} attempt${s.attempts === 1 ? '' : 's'}, ${s.status})` : s.status;
  lines.push(`step "${step}" of run ${runId} ${ran}; fingerprint ${s.fingerprintKey ?? ''}`);
  if (run.options.noCache) lines.push('  the run was started with --no-cache');
  if (run.options.rerun.length > 0) lines.push(`  the run was started with --rerun ${run.options.rerun.join(',')}`);
  const prev = store.previousFingerprint(run.pipeline, step, run);
  if (prev === undefined) {
    lines.push(`  no earlier successful execution of "${step}" in pipeline ${run.pipeline} to compare with`);
    return { ok: true, lines };
  }
  const changes = diffFingerprints(JSON.parse(prev.fingerprint) as Fingerprint, fp);
  if (changes.length === 0) {
    lines.push(`  same fingerprint as run ${prev.runId}: it was not reused because caching was off for it (--no-cache, --rerun, CacheConfig) or the entry expired`);
    return { ok: true, lines };
  }
  lines.push(`  compared with run ${prev.runId}, ${changes.length} change(s):`);
  for (const c of changes) lines.push(`    ${c.path}: ${show(c.before)} → ${show(c.after)}`);
  return { ok: true, lines };
}

function show(v: JsonValue | undefined): string {
  if (v === undefined) return '(absent)';
  const t = JSON.stringify(v);
  return t.length > 120 ? `${t.slice(0, 117)}...` : t;
}
