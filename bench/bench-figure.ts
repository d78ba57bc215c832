import { round } from './bench-services.js';

/**
 * One figure of `npm run bench`. `scope` says what was timed: `in-process` (cairn's code called inside the bench's own
 * node process) or `whole-process` (a child process timed from spawn to exit: the CLI, openssl, …); `samples` is how
 * many timed runs the figure is taken from (counts taken from one run say 1).
 */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  target: string;
  ok: boolean;
  scope: 'in-process' | 'whole-process';
  samples: number;
}

/** An informational figure (no target). */
export function info(name: string, value: number, unit: string, scope: BenchFigure['scope'], samples: number): BenchFigure {
  return { name, value: round(value, unit === 'ratio' ? 3 : 1), unit, target: 'info', ok: true, scope, samples };
}

/** `name: value unit [scope, n samples] (target …)`, marked ✓ / ✗ when there is a target. */
export function formatFigure(f: BenchFigure): string {
  const mark = f.target === 'info' ? ' ' : f.ok ? '✓' : '✗';
  const how = `[${f.scope}, ${f.samples} sample${f.samples === 1 ? '' : 's'}]`;
  return `${mark} ${f.name}: ${f.value} ${f.unit} ${how}${f.target === 'info' ? '' : ` (target ${f.target})`}`;
}
