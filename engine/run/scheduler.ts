import { IndexHeap } from '../definition/index-heap.js';

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
  // Each task counts the upstream tasks it still waits on; a task whose count reaches 0 joins `ready`, which hands
  // out the task first in `order` (no rescan of every task after each completion: that was quadratic).
  const position = new Map<string, number>();
  input.order.forEach((name, i) => { if (!position.has(name)) position.set(name, i); });
  const waiting = new Int32Array(input.order.length);
  const dependants = new Map<string, number[]>();
  const ready = new IndexHeap();
  const passed = (o: TaskOutcome | undefined): boolean => o === 'succeeded' || o === 'skipped';
  for (const [name, i] of position) {
    if (outcome.has(name)) continue;
    for (const u of input.upstream(name)) {
      if (passed(outcome.get(u))) continue;
      waiting[i] = (waiting[i] as number) + 1;
      const list = dependants.get(u);
      if (list === undefined) dependants.set(u, [i]);
      else list.push(i);
    }
    if (waiting[i] === 0) ready.push(i);
  }
  const finished = (name: string, o: TaskOutcome): void => {
    outcome.set(name, o);
    running.delete(name);
    if (o === 'failed' || o === 'stopped') halted = true;
    if (!passed(o)) return;
    for (const i of dependants.get(name) ?? []) {
      waiting[i] = (waiting[i] as number) - 1;
      if (waiting[i] === 0) ready.push(i);
    }
  };

  for (;;) {
    if (!halted && !input.signal.aborted) {
      while (running.size < Math.max(1, input.maxParallel)) {
        const i = ready.pop();
        if (i === undefined) break;
        const name = input.order[i] as string;
        const p = input
          .run(name)
          .catch((e: unknown) => {
            // A bug in the caller's task: let the others finish, then rethrow it.
            bug ??= e;
            return 'failed' as const;
          })
          .then((o) => finished(name, o));
        running.set(name, p);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  if (bug !== undefined) throw bug;
  return outcome;
}
