import type { StepFailure } from '../contracts/step-failure.js';

/** The words shown to a user for a step that did not succeed: one place, from the typed failure. */
export function renderFailure(step: string, f: StepFailure, logFile?: string): string[] {
  const lines: string[] = [];
  switch (f.reason) {
    case 'exit-nonzero':
    case 'oom-killed':
      lines.push(`step "${step}" failed: ${f.message}`);
      if (f.reason === 'exit-nonzero' && f.failureFile) lines.push(`  /opt/ml/output/failure: ${f.failureFile}`);
      if (f.logTail.length > 0) {
        lines.push(`  last ${f.logTail.length} log line(s):`);
        for (const l of f.logTail) lines.push(`  | ${l}`);
      }
      if (logFile !== undefined) lines.push(`  full log: ${logFile}`);
      break;
    case 'fail-step':
      lines.push(f.message);
      break;
    case 'stopped':
      lines.push(`step "${step}" stopped: ${f.message}`);
      break;
    default:
      lines.push(`step "${step}" failed: ${f.message}`);
  }
  return lines;
}
