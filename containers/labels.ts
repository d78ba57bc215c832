import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/** Label keys carried by every container cairn creates; `cairn ps` / cleanup find containers by them. */
export const LABEL_HOME = 'org.cairn.home';
export const LABEL_RUN = 'org.cairn.run';
export const LABEL_STEP = 'org.cairn.step';
export const LABEL_ATTEMPT = 'org.cairn.attempt';
export const LABEL_PID = 'org.cairn.pid';

/** Short, stable hash of a cairn home directory (absolute path), so containers of different homes never mix. */
export function homeLabel(home: string): string {
  return createHash('sha256').update(resolve(home)).digest('hex').slice(0, 12);
}

export interface LabelParts {
  home: string;
  runId: string;
  step: string;
  attempt: number;
  /** Owner process id; defaults to this process. */
  pid?: number;
}

export function containerLabels(parts: LabelParts): Record<string, string> {
  return {
    [LABEL_HOME]: homeLabel(parts.home),
    [LABEL_RUN]: parts.runId,
    [LABEL_STEP]: parts.step,
    [LABEL_ATTEMPT]: String(parts.attempt),
    [LABEL_PID]: String(parts.pid ?? process.pid),
  };
}

/** The Docker network of one run: its containers join it, the run's S3 endpoint listens on its gateway. */
export function runNetworkName(runId: string): string {
  return `cairn-${runId}`;
}

/** Labels of a run's network: its home, its run and the owner pid, as on the run's containers. */
export function networkLabels(parts: Omit<LabelParts, 'step' | 'attempt'>): Record<string, string> {
  return {
    [LABEL_HOME]: homeLabel(parts.home),
    [LABEL_RUN]: parts.runId,
    [LABEL_PID]: String(parts.pid ?? process.pid),
  };
}
