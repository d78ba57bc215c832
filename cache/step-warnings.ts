import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Home } from '../contracts/home.js';
import type { StepRecord } from '../contracts/records.js';
import type { StepWarning } from '../contracts/step-warning.js';

/**
 * The warnings of a step attempt (contracts/step-warning.ts), kept as JSON lines in the attempt's directory next to
 * its log: `warnings.jsonl`. A line that does not parse (a torn write) is skipped.
 */
const FILE = 'warnings.jsonl';

export function recordStepWarning(attemptDir: string, warning: StepWarning): void {
  appendFileSync(join(attemptDir, FILE), `${JSON.stringify(warning)}\n`);
}

/** The warnings of attempt `attempt` of a step of a run (none when it left none). */
export function readStepWarnings(home: Pick<Home, 'attemptDir'>, runId: string, step: string, attempt: number): StepWarning[] {
  let text: string;
  try {
    text = readFileSync(join(home.attemptDir(runId, step, attempt), FILE), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as StepWarning];
    } catch {
      return [];
    }
  });
}

/** The warnings a step's record carries: those of the attempt that succeeded (a reused step ran no attempt). */
export function stepWarnings(home: Pick<Home, 'attemptDir'>, s: Pick<StepRecord, 'runId' | 'name' | 'status' | 'reused' | 'attempts'>): StepWarning[] {
  if (s.status !== 'succeeded' || s.reused || s.attempts < 1) return [];
  return readStepWarnings(home, s.runId, s.name, s.attempts);
}
