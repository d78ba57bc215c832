import type { Explanation } from '../engine/reports/explain.js';
import type { JsonValue } from '../kernel/json.js';
import type { FingerprintChange } from '../contracts/fingerprint.js';
import { decisionWords } from './decision-words.js';
import { failureSentence } from './render-failure.js';

/** `cairn explain`: the stored decision in words, and for a changed fingerprint each changed field. */
export function explanationLines(runId: string, e: Explanation): { ok: boolean; lines: string[] } {
  if (e.kind === 'unknown-run') return { ok: false, lines: [`no run "${e.runId}" (see \`cairn runs\`)`] };
  if (e.kind === 'unknown-step') return { ok: false, lines: [`run ${e.runId} has no step "${e.name}" (steps: ${e.steps.join(', ')})`] };
  const s = e.step;
  const head = `step "${s.name}" of run ${runId}`;
  if (e.kind === 'undecided') {
    return { ok: true, lines: [`${head} is ${s.status}: it never got as far as a cache decision (${s.failure === undefined ? 'not reached' : failureSentence({ name: s.name, type: s.type, runId }, s.failure)})`] };
  }
  if (s.status === 'succeeded' && s.reusedFrom !== undefined) {
    const why = e.kind === 'decided' ? `: ${decisionWords(e.decision)}` : '';
    return { ok: true, lines: [`${head} was reused from run ${s.reusedFrom}: same fingerprint ${s.fingerprintKey ?? ''}`, ...(why ? [`  decision: reuse${why}`] : [])] };
  }
  const ran = s.attempts > 0 ? `ran (${s.attempts} attempt${s.attempts === 1 ? '' : 's'}, ${s.status})` : s.status;
  const lines = [`${head} ${ran}; fingerprint ${s.fingerprintKey ?? ''}`];
  if (e.kind === 'legacy') {
    lines.push('  (recorded by an older cairn, which did not store its decision)');
    if (e.previousRun === undefined) lines.push(`  no earlier successful execution of "${s.name}" to compare with`);
    else lines.push(...changeLines(e.previousRun, e.changes));
    return { ok: true, lines };
  }
  const r = e.decision.reason;
  if (r.kind === 'fingerprint-changed' && e.changes !== undefined && e.changes.length > 0) lines.push(...changeLines(r.sinceRun, e.changes));
  else lines.push(`  decision: ${e.decision.action}: ${decisionWords(e.decision)}`);
  return { ok: true, lines };
}

function changeLines(run: string, changes: readonly FingerprintChange[]): string[] {
  return [`  compared with run ${run}, ${changes.length} change(s):`, ...changes.map((c) => `    ${c.path}: ${show(c.before)} → ${show(c.after)}`)];
}

function show(v: JsonValue | undefined): string {
  if (v === undefined) return '(absent)';
  const t = JSON.stringify(v);
  return t.length > 120 ? `${t.slice(0, 117)}...` : t;
}
