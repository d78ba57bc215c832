/**
 * Runs a DAG of tasks with bounded parallelism. Knows nothing about steps or containers: the caller supplies
 * `run(name)`, which resolves to the task's final state. After a failure or an abort, no new task starts; tasks
 * already running finish (an abort reaches them through the caller's AbortSignal).
 */
export type TaskOutcome = 'succeeded' | 'failed' | 'stopped' | 'skipped';

export interface ScheduleInput {
  /** Task names in a topological order (ties broken as the caller wishes: this order is kept among ready tasks). */
  order: string[];
  /** Direct upstream tasks of each task. */
  upstream: (name: string) => string[];
  /** Tasks already finished before this invocation (e.g. succeeded in the run being resumed). */
  done: Map<string, TaskOutcome>;
  maxParallel: number;
  signal: AbortSignal;
  run: (name: string) => Promise<TaskOutcome>;
}

export async function schedule(input: ScheduleInput): Promise<Map<string, TaskOutcome>> {
  const outcome = new Map(input.done);
  const running = new Map<string, Promise<void>>();
  let halted = false;
  let bug: unknown;

  const ready = (name: string): boolean =>
    !outcome.has(name) && !running.has(name) &&
    input.upstream(name).every((u) => outcome.get(u) === 'succeeded' || outcome.get(u) === 'skipped');

  for (;;) {
    if (!halted && !input.signal.aborted) {
      for (const name of input.order) {
        if (running.size >= Math.max(1, input.maxParallel)) break;
        if (!ready(name)) continue;
        const p = input
          .run(name)
          .catch((e: unknown) => {
            // A bug in the caller's task: let the others finish, then rethrow it.
            bug ??= e;
            return 'failed' as const;
          })
          .then((o) => {
            outcome.set(name, o);
            running.delete(name);
            if (o === 'failed' || o === 'stopped') halted = true;
          });
        running.set(name, p);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (bug !== undefined) throw bug;
  return outcome;
}
