/**
 * Something a step that succeeded left behind that the user should see (cli/step-warning-words.ts words it). Recorded
 * with the attempt (cache/step-warnings.ts), emitted as a `warning` run event, shown by the live view, `show` (text
 * and --json) and `explain`.
 *
 * `failure-file`: the job exited 0 but wrote /opt/ml/output/failure. SageMaker decides a job's status by its exit
 * code alone, so the step stays succeeded, as there; the file's first lines are kept (`lines`, at most
 * FAILURE_FILE_WARNING_LINES of them; `totalLines` says how many it had), so a silent failure is seen.
 */
export type StepWarning = { kind: 'failure-file'; attempt: number; lines: string[]; totalLines: number };

export const FAILURE_FILE_WARNING_LINES = 5;

export function failureFileWarning(attempt: number, text: string): StepWarning {
  const all = text.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  return { kind: 'failure-file', attempt, lines: all.slice(0, FAILURE_FILE_WARNING_LINES), totalLines: all.length };
}
