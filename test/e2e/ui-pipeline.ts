import { pyStep } from './fixtures.js';
import { PY_IMAGE } from './harness.js';

const py = (lines: string[]): string => lines.join('\n');

/**
 * The browser tests' pipeline: Prep (coloured log, a `\r` progress line, ~3 s of sleep, a CSV output) → Train (a
 * Training step whose log lines feed MetricDefinitions) → Check, which fails with a failure file when
 * `Parameters.Mode` is "fail".
 */
export function uiDefinition(): object {
  const prep = pyStep('Prep', py([
    'import os, sys, time',
    "print('\\x1b[32mpreparing\\x1b[0m rows', flush=True)",
    "for p in (10, 50, 100):",
    "    sys.stdout.write(f'progress {p}%\\r'); sys.stdout.flush(); time.sleep(1)",
    "print('', flush=True)",
    "os.makedirs('/opt/ml/processing/output/data', exist_ok=True)",
    "open('/opt/ml/processing/output/data/rows.csv', 'w').write('id,value\\n1,0.5\\n2,0.25\\n')",
  ]), [], ['data']);
  const check = pyStep('Check', py([
    'import os, sys',
    "print('checking mode', os.environ['MODE'], flush=True)",
    "if os.environ['MODE'] == 'fail':",
    "    os.makedirs('/opt/ml/output', exist_ok=True)",
    "    open('/opt/ml/output/failure', 'w').write('the check was told to fail')",
    '    sys.exit(3)',
  ]), [], [], { DependsOn: ['Train'] });
  (check.Arguments as Record<string, unknown>).Environment = { MODE: { Get: 'Parameters.Mode' } };
  const train = {
    Name: 'Train',
    Type: 'Training',
    DependsOn: ['Prep'],
    Arguments: {
      AlgorithmSpecification: {
        TrainingImage: PY_IMAGE, TrainingInputMode: 'File',
        ContainerEntrypoint: ['python3', '-c', py([
          'for n in range(6):',
          '    print(f"epoch={n}; loss={1 / (n + 1):.4f}; acc={n / 5};", flush=True)',
        ])],
        MetricDefinitions: [{ Name: 'train:loss', Regex: 'loss=([^;]*);' }, { Name: 'train:acc', Regex: 'acc=(.*?);' }],
      },
      OutputDataConfig: { S3OutputPath: 's3://test-bucket/models' },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
      RoleArn: 'arn:aws:iam::111122223333:role/test',
    },
  };
  return {
    Version: '2020-12-01', Metadata: {},
    Parameters: [{ Name: 'Mode', Type: 'String', DefaultValue: 'ok' }],
    Steps: [prep, train, check],
  };
}
