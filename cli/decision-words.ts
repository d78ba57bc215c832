import { unreachable } from '../kernel/unreachable.js';
import type { CacheDecision, CacheReason, ForcedBy } from '../contracts/cache-decision.js';

/**
 * The words for a cache decision's reason: the one place `plan`, `explain`, the live view and the plain lines get
 * them from. The switch is exhaustive: a new reason without words does not compile.
 */
export function reasonWords(r: CacheReason): string {
  switch (r.kind) {
    case 'no-earlier-execution': return 'no earlier execution';
    case 'upstream-will-run': return `upstream ${quote(r.steps)} will run`;
    case 'forced': return forcedWords(r.forced);
    case 'cache-disabled': return 'caching disabled by CacheConfig.Enabled=false';
    case 'never-cached': return `${r.stepType} steps are never reused from the cache`;
    case 'control-step':
      if (r.control.stepType === 'Condition') {
        return `evaluated when the run reaches it (never cached): IfSteps ${r.control.ifSteps} step(s), ElseSteps ${r.control.elseSteps} step(s)`;
      }
      return r.control.errorMessage === undefined ? 'ends the run as failed' : `ends the run as failed: ${JSON.stringify(r.control.errorMessage)}`;
    case 'image-not-pulled': return `image ${r.image} will be pulled first`;
    case 'expired':
      return `earlier execution in run ${r.sourceRun} expired (recorded ${iso(r.createdAt)}, ExpireAfter ${r.expireAfterMs / 1000}s)`;
    case 'fingerprint-changed': return `changed since run ${r.sinceRun}: ${r.paths.join(', ')}`;
    case 'not-cached-before': return `same fingerprint as run ${r.sinceRun}, which left no cache entry (caching was off for it)`;
    case 'source-lacks-properties': return `the matching execution in run ${r.sourceRun} has no recorded properties, so it cannot be reused`;
    case 'output-lost':
      return `output "${r.output}" recorded by run ${r.sourceRun} is lost: its file ${JSON.stringify(r.file)} is ${r.state === 'missing' ? 'missing from' : 'damaged in'} the content store, so the step runs again`;
    case 'side-read-changed':
      return `s3://${r.bucket}/${r.key}, read by run ${r.sourceRun}'s execution, changed: it was ${held(r.recorded)} then and is ${held(r.current)} now, so the step runs again`;
    case 'same-fingerprint': return `same fingerprint as run ${r.sourceRun} (${iso(r.createdAt)})`;
    case 'reference-run': return `(from run ${r.sourceRun}) upstream of the selected steps`;
    case 'selected-out': return 'not selected by --steps and not upstream of a selected step';
    default: return unreachable(r);
  }
}

export function decisionWords(d: CacheDecision): string {
  return reasonWords(d.reason);
}

function forcedWords(f: ForcedBy): string {
  switch (f.by) {
    case 'no-cache': return '--no-cache';
    case 'rerun': return `--rerun ${f.steps.join(',')}`;
    default: return unreachable(f);
  }
}


const held = (hash: string | null): string => (hash === null ? 'absent' : `sha256 ${hash}`);
const iso = (ms: number): string => new Date(ms).toISOString();
const quote = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');
