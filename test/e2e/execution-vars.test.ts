import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pyStep } from './fixtures.js';
import { summary, Workspace } from './harness.js';

type Json = Record<string, unknown>;

const writeVars = [
  'import json, os',
  "json.dump({'id': os.environ['EXEC_ID'], 'start': os.environ['START'], 'arn': os.environ['EXEC_ARN']},",
  "          open('/opt/ml/processing/output/vars/vars.json', 'w'))",
];
const env = {
  EXEC_ID: { Get: 'Execution.PipelineExecutionId' },
  START: { Get: 'Execution.StartDateTime' },
  EXEC_ARN: { Get: 'Execution.PipelineExecutionArn' },
};

/** First runs in the first invocation; Second fails while the flag input says "fail", then runs after a resume. */
function definition(): Json {
  const first = pyStep('First', writeVars.join('\n'), [], ['vars']);
  const second = pyStep('Second', [
    'import sys', "if open('/opt/ml/processing/input/flag/flag.txt').read().strip() == 'fail':", '    sys.exit(4)', ...writeVars,
  ].join('\n'), [['flag', 's3://test-bucket/flag/flag.txt']], ['vars'], { DependsOn: ['First'] });
  for (const s of [first, second]) (s.Arguments as Json).Environment = env;
  return { Version: '2020-12-01', Metadata: {}, Parameters: [], Steps: [first, second] };
}

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
  ws.write('pipeline.json', definition());
});
afterEach(() => ws.dispose());

describe('execution variables across a resume (real Docker)', () => {
  it('a step run after a resume sees the same PipelineExecutionId and StartDateTime as one run before it', async () => {
    ws.putS3('test-bucket', 'flag/flag.txt', 'fail');
    const failed = await ws.json(['run', 'pipeline.json', '--json']);
    expect(failed.result.code).toBe(1);
    expect(summary(failed.json)).toEqual({ First: 'succeeded', Second: 'failed' });

    await new Promise((r) => setTimeout(r, 1100)); // a resume later in wall-clock time must not move StartDateTime
    ws.putS3('test-bucket', 'flag/flag.txt', 'ok');
    const resumed = await ws.json(['resume', failed.json.runId, '--json']);
    expect(resumed.result.code).toBe(0);
    expect(summary(resumed.json)).toEqual({ First: 'succeeded (reused)', Second: 'succeeded' });

    const vars = (step: string): { id: string; start: string; arn: string } =>
      JSON.parse(readFileSync(join(ws.home, 's3/test-bucket/runs', failed.json.runId, step, 'vars/vars.json'), 'utf8')) as { id: string; start: string; arn: string };
    const before = vars('First');
    const after = vars('Second');
    expect(before.id).toBe(failed.json.runId);
    expect(after).toEqual(before);
    expect(before.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(before.arn.endsWith(`/execution/${failed.json.runId}`)).toBe(true);
  });
});
