import { PY_IMAGE } from './harness.js';

type Json = Record<string, unknown>;

const execId = { Get: 'Execution.PipelineExecutionId' };
const outUri = (step: string, name: string): Json => ({ 'Std:Join': { On: '/', Values: ['s3://test-bucket/runs', execId, step, name] } });
export const outRef = (step: string, name: string): Json => ({ Get: `Steps.${step}.ProcessingOutputConfig.Outputs['${name}'].S3Output.S3Uri` });

/** A Processing step running inline Python in the local python image. */
export function pyStep(name: string, code: string, inputs: [string, unknown][], outputs: string[], extra: Json = {}): Json {
  return {
    Name: name,
    Type: 'Processing',
    Arguments: {
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 } },
      AppSpecification: { ImageUri: PY_IMAGE, ContainerEntrypoint: ['python3', '-c', code] },
      RoleArn: 'arn:aws:iam::111122223333:role/test',
      ProcessingInputs: inputs.map(([n, uri]) => ({
        InputName: n, AppManaged: false,
        S3Input: { S3Uri: uri, LocalPath: `/opt/ml/processing/input/${n}`, S3DataType: 'S3Prefix', S3InputMode: 'File' },
      })),
      ProcessingOutputConfig: {
        Outputs: outputs.map((o) => ({ OutputName: o, AppManaged: false, S3Output: { S3Uri: outUri(name, o), LocalPath: `/opt/ml/processing/output/${o}`, S3UploadMode: 'EndOfJob' } })),
      },
    },
    ...extra,
  };
}

const py = (lines: string[]): string => lines.join('\n');

/**
 * A → {B, C} → D over a seeded input file. B sleeps `Parameters.SleepB` seconds (so tests can interrupt it) and
 * fails when `Parameters.FailB` is "yes", writing /opt/ml/output/failure first.
 */
export function fanDefinition(): Json {
  const A = pyStep('A', py([
    'import os', "src = open('/opt/ml/processing/input/data/data.txt').read()",
    "open('/opt/ml/processing/output/a/a.txt', 'w').write(src.upper())", "print('A read', len(src), 'bytes')",
  ]), [['data', 's3://test-bucket/input/data.txt']], ['a']);
  const B = pyStep('B', py([
    'import sys, time', 'sleep, fail = float(sys.argv[1]), sys.argv[2]',
    "a = open('/opt/ml/processing/input/a/a.txt').read()", "print('B started', flush=True)", 'time.sleep(sleep)',
    "if fail == 'yes':",
    "    open('/opt/ml/output/failure', 'w').write('B was told to fail')", '    sys.exit(3)',
    "open('/opt/ml/processing/output/b/b.txt', 'w').write(a + '|B')",
  ]), [['a', outRef('A', 'a')]], ['b']);
  (B.Arguments as Json & { AppSpecification: Json }).AppSpecification.ContainerArguments = [
    { 'Std:Join': { On: '', Values: [{ Get: 'Parameters.SleepB' }] } }, { Get: 'Parameters.FailB' },
  ];
  const C = pyStep('C', py([
    "a = open('/opt/ml/processing/input/a/a.txt').read()", "open('/opt/ml/processing/output/c/c.txt', 'w').write(a[::-1])",
  ]), [['a', outRef('A', 'a')]], ['c']);
  const D = pyStep('D', py([
    "b = open('/opt/ml/processing/input/b/b.txt').read()", "c = open('/opt/ml/processing/input/c/c.txt').read()",
    "open('/opt/ml/processing/output/d/d.txt', 'w').write(b + '\\n' + c)", "print('D done')",
  ]), [['b', outRef('B', 'b')], ['c', outRef('C', 'c')]], ['d']);
  return {
    Version: '2020-12-01',
    Metadata: {},
    Parameters: [
      { Name: 'SleepB', Type: 'Float', DefaultValue: 0 },
      { Name: 'FailB', Type: 'String', DefaultValue: 'no', EnumValues: ['yes', 'no'] },
    ],
    Steps: [A, B, C, D],
  };
}
