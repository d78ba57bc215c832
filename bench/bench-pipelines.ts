import type { JsonObject } from '../kernel/json.js';
import { mulberry32 } from '../kernel/seeded-random.js';

/** Generated pipeline definitions for the benchmarks (deterministic: same arguments, same text). */

export const NOOP_IMAGE = 'cairn-local/debian:bookworm';
export const NOOP_COMMAND = ['/bin/true'];

function definition(steps: JsonObject[]): string {
  return JSON.stringify({ Version: '2020-12-01', Metadata: {}, Parameters: [], Steps: steps }, null, 1);
}

/** `count` no-op Processing steps, each `DependsOn` the previous one. */
export function noopChain(count: number): string {
  const steps: JsonObject[] = [];
  for (let i = 0; i < count; i++) {
    const step: JsonObject = {
      Name: `Noop${String(i).padStart(2, '0')}`,
      Type: 'Processing',
      Arguments: {
        AppSpecification: { ImageUri: NOOP_IMAGE, ContainerEntrypoint: NOOP_COMMAND },
        ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 } },
      },
    };
    if (i > 0) step.DependsOn = [`Noop${String(i - 1).padStart(2, '0')}`];
    steps.push(step);
  }
  return definition(steps);
}

/** Seeded, so the DAG is the same on every run. */
const prng = mulberry32;

const OUT = '/opt/ml/processing/output/o';

/**
 * `count` Processing steps in layers of `width`; every step after the first layer reads output `o` of 1–3 distinct
 * steps of earlier layers (mostly the previous one) through `Get: Steps.X.ProcessingOutputConfig.Outputs['o']…`,
 * and writes its own name (and the first line of each input) to its output `o`.
 */
export function layeredDag(count: number, width = 20, seed = 42): { text: string; edges: number } {
  const rand = prng(seed);
  const name = (i: number): string => `S${String(i).padStart(4, '0')}`;
  const steps: JsonObject[] = [];
  let edges = 0;
  for (let i = 0; i < count; i++) {
    const layer = Math.floor(i / width);
    const ups = new Set<number>();
    if (layer > 0) {
      const want = 1 + Math.floor(rand() * 3);
      const prevStart = (layer - 1) * width;
      for (let tries = 0; ups.size < want && tries < 20; tries++) {
        // 3 in 4 from the previous layer, else from any earlier layer.
        const pick = rand() < 0.75 ? prevStart + Math.floor(rand() * width) : Math.floor(rand() * layer * width);
        ups.add(Math.min(pick, layer * width - 1));
      }
    }
    const inputs = [...ups].sort((a, b) => a - b).map((u, k) => ({
      InputName: `in${k}`,
      AppManaged: false,
      S3Input: {
        S3Uri: { Get: `Steps.${name(u)}.ProcessingOutputConfig.Outputs['o'].S3Output.S3Uri` },
        LocalPath: `/opt/ml/processing/input/in${k}`,
        S3DataType: 'S3Prefix',
        S3InputMode: 'File',
        S3DataDistributionType: 'FullyReplicated',
      },
    }));
    edges += inputs.length;
    const script = `echo $0 > ${OUT}/x` + inputs.map((_, k) => ` && head -n1 /opt/ml/processing/input/in${k}/x >> ${OUT}/x`).join('');
    steps.push({
      Name: name(i),
      Type: 'Processing',
      Arguments: {
        AppSpecification: { ImageUri: NOOP_IMAGE, ContainerEntrypoint: ['/bin/sh', '-c'], ContainerArguments: [script, name(i)] },
        ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 } },
        ProcessingInputs: inputs,
        ProcessingOutputConfig: {
          Outputs: [{ OutputName: 'o', AppManaged: false, S3Output: { S3Uri: `s3://cairn-bench/dag/${name(i)}/o`, LocalPath: OUT, S3UploadMode: 'EndOfJob' } }],
        },
      },
    });
  }
  return { text: definition(steps), edges };
}

/** A 4-step diamond of no-op Processing steps: Top → Left, Right → Bottom (three levels on the critical path). */
export function noopDiamond(): string {
  const step = (name: string, dependsOn: string[]): JsonObject => ({
    Name: name,
    Type: 'Processing',
    Arguments: {
      AppSpecification: { ImageUri: NOOP_IMAGE, ContainerEntrypoint: NOOP_COMMAND },
      ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 } },
    },
    ...(dependsOn.length > 0 ? { DependsOn: dependsOn } : {}),
  });
  return definition([step('Top', []), step('Left', ['Top']), step('Right', ['Top']), step('Bottom', ['Left', 'Right'])]);
}
