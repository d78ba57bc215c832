import type { StepWarning } from '../contracts/step-warning.js';
import { unreachable } from '../kernel/unreachable.js';

/**
 * A step warning (contracts/step-warning.ts) in words: the one place the live view, `show` and `explain` get them
 * from. The first line says what happened; the rest quote what the job left.
 */
export function warningLines(step: string, w: StepWarning): string[] {
  switch (w.kind) {
    case 'failure-file': {
      const more = w.totalLines > w.lines.length ? [`  … (${w.totalLines - w.lines.length} more line(s) in the file)`] : [];
      return [
        `warning: step "${step}" exited 0 (succeeded, as on SageMaker) but attempt ${w.attempt} wrote /opt/ml/output/failure:`,
        ...w.lines.map((l) => `  | ${l}`),
        ...more,
      ];
    }
    default: return unreachable(w.kind);
  }
}
