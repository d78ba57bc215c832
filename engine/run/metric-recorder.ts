import type { MetricPoint } from '../../cache/metric-store.js';
import type { Store } from '../../cache/store.js';

/** Values buffered before a write is forced (a write otherwise happens once per tick). */
const FLUSH_EVERY = 500;
/** How often buffered values are written while a step runs. */
const FLUSH_INTERVAL_MS = 250;

/**
 * Buffers the metric values of one step attempt and writes them in batches (one transaction per FLUSH_EVERY values
 * or per FLUSH_INTERVAL_MS, whichever comes first), so a chatty training log costs a handful of commits, not one per
 * line. `close` writes what is left; the caller calls it when the attempt ends, whatever the outcome.
 */
export class MetricRecorder {
  private buffer: MetricPoint[] = [];
  private readonly seq = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Pick<Store, 'insertMetrics'>,
    private readonly key: { runId: string; step: string; attempt: number },
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  record(name: string, value: number, at: number): void {
    const seq = this.seq.get(name) ?? 0;
    this.seq.set(name, seq + 1);
    this.buffer.push({ ...this.key, name, seq, value, at });
    if (this.buffer.length >= FLUSH_EVERY) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_INTERVAL_MS).unref();
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    try {
      this.store.insertMetrics(batch);
    } catch (e) {
      // Metrics are an observation of the job, not its result: a failed write must not fail the step.
      this.onError(e);
    }
  }

  close(): void {
    this.flush();
  }
}
