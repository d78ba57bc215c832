import { resolve, join } from 'node:path';

/** Where cairn keeps everything: `$CAIRN_HOME`, else `./.cairn` in the working directory. */
export interface Home {
  root: string;
  db: string;
  runsDir: string;
  runDir(runId: string): string;
  /** Private directory of one step attempt (config files, staging, output dirs, log). */
  attemptDir(runId: string, step: string, attempt: number): string;
}

export function resolveHome(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Home {
  const root = resolve(cwd, env.CAIRN_HOME !== undefined && env.CAIRN_HOME !== '' ? env.CAIRN_HOME : '.cairn');
  const runsDir = join(root, 'runs');
  const safe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return {
    root,
    db: join(root, 'cairn.db'),
    runsDir,
    runDir: (runId) => join(runsDir, runId),
    attemptDir: (runId, step, attempt) => join(runsDir, runId, 'steps', safe(step), `attempt-${attempt}`),
  };
}
