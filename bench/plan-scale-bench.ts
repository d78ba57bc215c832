import type { BenchFigure } from './bench-figure.js';
import { loadBenchDefinition, openBenchHome, round } from './bench-services.js';
import { NOOP_COMMAND, NOOP_IMAGE } from './bench-pipelines.js';
import { planRun } from '../engine/run/plan.js';
import type { JsonObject } from '../kernel/json.js';

/**
 * (h) `cairn plan` at scale, in-process: a generated definition of N Processing steps is loaded (parse, validate,
 * references, cycles) and planned (graph order, images, per-step decision) through the same functions `cairn plan`
 * calls, over a fresh home. Two shapes: a deep chain (each step `DependsOn` the previous one, so the DAG is N deep)
 * and a wide fan-out (one source, N-1 steps each reading its output through a `Get`). Targets: no crash, time per
 * step within 2× of the 1,000-step figure up to the largest size, and the largest plan ≤ 30 s.
 */
export type PlanShape = 'chain' | 'fan-out';

const OUT = '/opt/ml/processing/output/o';

function processing(name: string, extra: JsonObject = {}): JsonObject {
  return {
    Name: name,
    Type: 'Processing',
    Arguments: {
      AppSpecification: { ImageUri: NOOP_IMAGE, ContainerEntrypoint: NOOP_COMMAND },
      ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 } },
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'o', S3Output: { S3Uri: `s3://bench/${name}`, LocalPath: OUT, S3UploadMode: 'EndOfJob' } }] },
      ...extra,
    },
  };
}

/** The definition text of `count` steps of the given shape (deterministic). */
export function scaleDefinition(shape: PlanShape, count: number): string {
  const name = (i: number): string => `S${i}`;
  const steps: JsonObject[] = [];
  for (let i = 0; i < count; i++) {
    if (i === 0) steps.push(processing(name(0)));
    else if (shape === 'chain') steps.push({ ...processing(name(i)), DependsOn: [name(i - 1)] });
    else {
      steps.push(processing(name(i), {
        ProcessingInputs: [{
          InputName: 'in', AppManaged: false,
          S3Input: {
            S3Uri: { Get: `Steps.${name(0)}.ProcessingOutputConfig.Outputs['o'].S3Output.S3Uri` },
            LocalPath: '/opt/ml/processing/input/in', S3DataType: 'S3Prefix', S3InputMode: 'File', S3DataDistributionType: 'FullyReplicated',
          },
        }],
      }));
    }
  }
  return JSON.stringify({ Version: '2020-12-01', Metadata: {}, Parameters: [], Steps: steps });
}

export interface PlanTiming {
  shape: PlanShape;
  steps: number;
  loadMs: number;
  planMs: number;
  /** CPU time (user + system) of this process over load + plan: less bent than wall time by a loaded machine. */
  cpuMs: number;
  planned: number;
}

/** Loads and plans one generated definition in-process; throws (with the error) when either part fails. */
export async function timePlan(shape: PlanShape, count: number): Promise<PlanTiming> {
  const text = scaleDefinition(shape, count);
  const home = openBenchHome('plan-scale');
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const def = loadBenchDefinition(text, `${shape}-${count}.json`);
    const t1 = performance.now();
    const steps = await planRun(home.services, def, `${shape}-${count}`, {}, { noCache: false, rerun: [] });
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    return { shape, steps: count, loadMs: t1 - t0, planMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000, planned: steps.length };
  } finally {
    home.dispose();
  }
}

export async function runPlanScaleBench(opts: { sizes?: number[]; log?: (line: string) => void } = {}): Promise<BenchFigure[]> {
  const sizes = opts.sizes ?? [1_000, 10_000, 100_000];
  const log = opts.log ?? (() => undefined);
  const figures: BenchFigure[] = [];
  const largest = Math.max(...sizes);
  for (const shape of ['chain', 'fan-out'] as const) {
    await timePlan(shape, 500); // warm-up (JIT), not counted: else the smallest size's figure is mostly compilation
    const wallPer: number[] = [];
    const cpuPer: number[] = [];
    for (const n of sizes) {
      let t: PlanTiming;
      try {
        t = await timePlan(shape, n);
      } catch (e) {
        figures.push({ name: `plan ${shape} ${n} steps`, value: NaN, unit: '', target: 'no crash', ok: false, scope: 'in-process', samples: 1 });
        log(`  ${shape} ${n}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        continue;
      }
      const total = t.loadMs + t.planMs;
      wallPer.push((total * 1000) / n);
      cpuPer.push((t.cpuMs * 1000) / n);
      log(`  ${shape} ${n} steps: load ${t.loadMs.toFixed(0)} ms + plan ${t.planMs.toFixed(0)} ms wall, ${t.cpuMs.toFixed(0)} ms cpu; ${t.planned} planned; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
      figures.push(
        {
          name: `plan ${shape} ${n} steps, load + plan wall`, value: round(total / 1000, 2), unit: 's',
          target: n === largest ? '<= 30 s' : 'no crash', ok: t.planned === n && (n !== largest || total <= 30_000), scope: 'in-process', samples: 1,
        },
        { name: `plan ${shape} ${n} steps, wall per step`, value: round((total * 1000) / n, 1), unit: 'µs', target: 'info', ok: true, scope: 'in-process', samples: 1 },
        { name: `plan ${shape} ${n} steps, cpu per step`, value: round((t.cpuMs * 1000) / n, 1), unit: 'µs', target: 'info', ok: true, scope: 'in-process', samples: 1 },
      );
    }
    if (wallPer.length === sizes.length && sizes.length > 1) {
      // As the issue measures it: time per step at the largest size over time per step at the smallest (a per-step
      // time that falls with size is fixed cost spread thinner, not a problem).
      for (const [what, per] of [['wall', wallPer], ['cpu', cpuPer]] as const) {
        const ratio = (per.at(-1) as number) / (per[0] as number);
        figures.push({ name: `plan ${shape}: ${what} per step at ${largest} / at ${sizes[0]} steps`, value: round(ratio, 2), unit: '×', target: '<= 2', ok: ratio <= 2, scope: 'in-process', samples: 1 });
      }
    }
  }
  return figures;
}
