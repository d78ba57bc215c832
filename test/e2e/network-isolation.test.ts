import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pyStep } from './fixtures.js';
import { PY_IMAGE, Workspace, summary, type RunJson } from './harness.js';

// A job reaches a TCP service on the Docker bridge's gateway (this host) unless its step sets EnableNetworkIsolation,
// as SageMaker gives an isolated job no network at all. Offline-safe: the only service tried is the one started here.

const PROBE = [
  'import os, socket, sys',
  'host, port, expect, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]',
  "nets = ','.join(sorted(os.listdir('/sys/class/net')))",
  'try:',
  '    s = socket.create_connection((host, port), timeout=10)',
  "    result = 'reached ' + s.recv(16).decode().strip()",
  '    s.close()',
  'except OSError as e:',
  "    result = 'unreachable ' + type(e).__name__",
  "line = result + '; interfaces ' + nets",
  'print(line, flush=True)',
  "if out != '-':",
  "    open(out, 'w').write(line)",
  "sys.exit(0 if result.split(' ')[0] == expect else 1)",
].join('\n');

let server: Server;
let gateway: string;
let port: number;

beforeAll(async () => {
  gateway = execFileSync('docker', ['network', 'inspect', 'bridge', '--format', '{{(index .IPAM.Config 0).Gateway}}'], { encoding: 'utf8' }).trim();
  server = createServer((socket) => socket.end('hello\n'));
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function processing(name: string, expect: 'reached' | 'unreachable', isolated?: boolean): Record<string, unknown> {
  const step = pyStep(name, PROBE, [], ['probe']);
  const args = step.Arguments as Record<string, Record<string, unknown>>;
  args.AppSpecification!.ContainerArguments = [gateway, String(port), expect, '/opt/ml/processing/output/probe/result.txt'];
  if (isolated !== undefined) args.NetworkConfig = { EnableNetworkIsolation: isolated };
  return step;
}

function training(name: string, expect: 'reached' | 'unreachable', isolated: boolean): Record<string, unknown> {
  return {
    Name: name,
    Type: 'Training',
    Arguments: {
      AlgorithmSpecification: {
        TrainingImage: PY_IMAGE, TrainingInputMode: 'File', ContainerEntrypoint: ['python3', '-c', PROBE],
        ContainerArguments: [gateway, String(port), expect, '-'],
      },
      OutputDataConfig: { S3OutputPath: 's3://test-bucket/models' },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
      RoleArn: 'arn:aws:iam::111122223333:role/test',
      EnableNetworkIsolation: isolated,
    },
  };
}

describe('EnableNetworkIsolation', () => {
  it('gives Processing and Training jobs no network; without it the same job reaches the host', async () => {
    const ws = new Workspace();
    try {
      ws.write('p.json', {
        Version: '2020-12-01',
        Metadata: {},
        Parameters: [],
        Steps: [
          processing('Open', 'reached'),
          processing('OpenSaidFalse', 'reached', false),
          processing('Isolated', 'unreachable', true),
          training('TrainOpen', 'reached', false),
          training('TrainIsolated', 'unreachable', true),
        ],
      });
      const { result, json } = await ws.json<RunJson>(['run', 'p.json', '--json']);
      expect(summary(json), result.stderr).toEqual({
        Open: 'succeeded', OpenSaidFalse: 'succeeded', Isolated: 'succeeded', TrainOpen: 'succeeded', TrainIsolated: 'succeeded',
      });
      expect(result.code).toBe(0);
      const probe = (step: string): string =>
        readFileSync(join(ws.home, 's3', 'test-bucket', 'runs', json.runId, step, 'probe', 'result.txt'), 'utf8');
      expect(probe('Open')).toBe('reached hello; interfaces eth0,lo');
      expect(probe('Isolated')).toMatch(/^unreachable \w+; interfaces lo$/);
    } finally {
      ws.dispose();
    }
  });
});
