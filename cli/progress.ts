import type { StepStatus } from '../contracts/records.js';
import type { RetryInfo } from '../contracts/retry.js';
import type { RunEvent } from '../contracts/run-events.js';
import { PullTracker } from './pull-progress.js';
import { reconcileWarningText } from './render-refusal.js';
import { failureSentence, renderFailure, type StepRef } from './render-failure.js';
import type { CacheDecision } from '../contracts/cache-decision.js';
import { decisionWords } from './decision-words.js';
import { warningLines } from './step-warning-words.js';

interface Row {
  name: string;
  type: string;
  status: StepStatus;
  reused: boolean;
  attempt?: number;
  startedAt?: number;
  endedAt?: number;
  lastLine?: string;
  /** Latest value of each metric of the current attempt, in order of first appearance. */
  metrics: Map<string, number>;
  /** The last retry under the step's RetryPolicies, and while waiting for it, when the next attempt starts. */
  retry?: RetryInfo;
  retryAt?: number;
  /** The step's cache decision in this invocation (why it runs or is reused). */
  decision?: CacheDecision;
}

const SYMBOL: Record<StepStatus, string> = {
  'not-run': '·', running: '▶', succeeded: '✔', failed: '✘', stopped: '■', skipped: '↷',
};

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** `loss=0.31 accuracy=0.87`: metric values with at most 6 significant digits. */
export function formatMetrics(metrics: ReadonlyMap<string, number>): string {
  return [...metrics].map(([name, value]) => `${name}=${formatMetricValue(value)}`).join(' ');
}

export function formatMetricValue(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/** `retry 1 of 3`, or for a time-bound policy `retry 1 (retries stop in 4m59s)`. */
function retryText(info: RetryInfo, at = Date.now()): string {
  if (info.maxRetries !== undefined) return `retry ${info.retry} of ${info.maxRetries}`;
  return `retry ${info.retry}${info.retryUntil === undefined ? '' : ` (retries stop in ${formatDuration(Math.max(0, info.retryUntil - at))})`}`;
}

/**
 * Shows a run as it goes. On a terminal: a live step list (state, duration, last log line) redrawn in place.
 * Otherwise: one plain line per state change, and container log lines prefixed by their step (unless `logs` is off).
 * A step's metric values (MetricDefinitions) show live beside it, and as one `<step> metrics: …` line when it ends.
 */
export class Progress {
  private rows = new Map<string, Row>();
  /** Image pulls, by image: a progress bar each while live, rate-limited lines otherwise. */
  private pulls = new Map<string, PullTracker>();
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly live: boolean;

  constructor(private readonly out: NodeJS.WriteStream, opts: { live?: boolean; logs?: boolean } = {}) {
    this.live = opts.live ?? (out.isTTY === true && process.env.TERM !== 'dumb');
    this.logs = opts.logs ?? true;
  }
  private readonly logs: boolean;

  handle = (e: RunEvent): void => {
    switch (e.type) {
      case 'run-started':
        this.runId = e.runId;
        for (const s of e.steps) this.rows.set(s.name, { name: s.name, type: s.type, status: 'not-run', reused: false, metrics: new Map() });
        this.out.write(`run ${e.runId} (${e.pipeline}) ${e.resumed ? 'resumed' : 'started'}: ${e.steps.length} step(s)\n`);
        if (this.live) this.timer = setInterval(() => this.draw(), 200);
        break;
      case 'step': {
        const row = this.rows.get(e.step);
        if (row === undefined) return;
        row.status = e.status;
        row.reused = e.reused;
        if (e.decision !== undefined) row.decision = e.decision;
        if (e.attempt !== undefined) row.attempt = e.attempt;
        if (e.status === 'running') { row.startedAt = e.at; delete row.endedAt; delete row.lastLine; delete row.retryAt; row.metrics.clear(); }
        else row.endedAt = e.at;
        this.plain(this.describe(row, e.reusedFrom));
        if (e.status !== 'running' && row.metrics.size > 0) this.plain(`${row.name} metrics: ${formatMetrics(row.metrics)}`);
        if (e.failure !== undefined) this.block(renderFailure(this.ref(row), e.failure));
        break;
      }
      case 'log': {
        const row = this.rows.get(e.step);
        if (row !== undefined) row.lastLine = e.line;
        if (!this.live && this.logs) this.out.write(`  [${e.step}] ${e.line}\n`);
        break;
      }
      case 'metric':
        this.rows.get(e.step)?.metrics.set(e.name, e.value);
        break;
      case 'notice':
        this.block([`${e.step}: ${e.message}`]);
        break;
      case 'warning':
        this.block(warningLines(e.step, e.warning));
        break;
      case 'sweep-problem':
        this.block([reconcileWarningText(e.problem)]);
        break;
      case 'retry': {
        const row = this.rows.get(e.step);
        if (row !== undefined) { row.retry = e.info; row.retryAt = e.at + e.info.waitMs; }
        this.block([
          `${e.step}: attempt ${e.info.attempt} failed with ${e.info.exceptionType}; ${retryText(e.info, e.at)} in ${formatDuration(e.info.waitMs)}`,
          `  ${failureSentence(this.ref(this.rows.get(e.step) ?? { name: e.step, type: '' }), e.info.failure)}`,
        ]);
        break;
      }
      case 'pull': {
        let pull = this.pulls.get(e.image);
        if (pull === undefined) this.pulls.set(e.image, (pull = new PullTracker(e.image)));
        pull.update(e.progress);
        const line = this.live ? undefined : pull.plainLine();
        if (line !== undefined) this.plain(`  [${e.step}] ${line}`);
        break;
      }
      case 'run-finished':
        if (this.timer !== undefined) clearInterval(this.timer);
        this.draw();
        this.plain(`run ${e.runId} ${e.status}`);
        if (this.live) this.out.write(`run ${e.runId} ${e.status}\n`);
        break;
    }
  };

  /** The step as a failure's words name it (with the run, for hints such as `cairn resume <run>`). */
  private ref(row: { name: string; type: string }): StepRef {
    return { name: row.name, type: row.type, ...(this.runId !== undefined ? { runId: this.runId } : {}) };
  }
  private runId: string | undefined;

  private describe(row: Row, reusedFrom?: string): string {
    if (row.status === 'succeeded' && row.reused) {
      if (row.decision !== undefined) return `${row.name}: reused: ${decisionWords(row.decision)}`;
      return `${row.name}: reused${reusedFrom ? ` (from run ${reusedFrom})` : ''}`;
    }
    const retried = row.retry === undefined ? '' : `, ${retryText(row.retry)} after ${row.retry.exceptionType}`;
    if (row.status === 'running') {
      const why = row.decision !== undefined && (row.attempt ?? 1) === 1 ? `: ${decisionWords(row.decision)}` : '';
      return `${row.name}: running (attempt ${row.attempt ?? 1}${retried})${why}`;
    }
    const took = row.startedAt !== undefined && row.endedAt !== undefined ? ` in ${formatDuration(row.endedAt - row.startedAt)}` : '';
    return `${row.name}: ${row.status}${took}${row.retry === undefined ? '' : ` (attempt ${row.attempt ?? 1})`}`;
  }

  private plain(line: string): void {
    if (!this.live) this.out.write(`${line}\n`);
  }

  private block(lines: string[]): void {
    if (this.live) {
      this.clear();
      this.out.write(`${lines.join('\n')}\n`);
      this.draw();
    } else this.out.write(`${lines.join('\n')}\n`);
  }

  private clear(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }

  private draw(): void {
    if (!this.live) return;
    this.clear();
    const width = this.out.columns ?? 100;
    const now = Date.now();
    const lines = [...this.rows.values()].map((r) => {
      const t = r.startedAt === undefined ? '' : formatDuration((r.endedAt ?? now) - r.startedAt);
      const state = r.status === 'succeeded' && r.reused ? 'reused' : r.status;
      let line = `${SYMBOL[r.status]} ${r.name.padEnd(24)} ${state.padEnd(10)} ${t.padStart(7)}`;
      if (r.status === 'running' && r.retry !== undefined) {
        line += r.retryAt !== undefined
          ? `  ${retryText(r.retry)} in ${formatDuration(Math.max(0, r.retryAt - now))} after ${r.retry.exceptionType}`
          : `  attempt ${r.attempt ?? 1}, ${retryText(r.retry)} after ${r.retry.exceptionType}`;
      }
      if (r.status === 'succeeded' && r.reused && r.decision !== undefined) line += `  ${decisionWords(r.decision)}`;
      if (r.status === 'running' && r.metrics.size > 0) line += `  ${formatMetrics(r.metrics)}`;
      if (r.status === 'running' && r.lastLine) line += `  ${r.lastLine}`;
      return line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line;
    });
    for (const pull of this.pulls.values()) if (!pull.finished) lines.push(`  ${pull.line()}`.slice(0, width - 1));
    this.out.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}
