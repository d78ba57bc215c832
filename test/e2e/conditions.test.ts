import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outRef, pyStep } from './fixtures.js';
import { summary, Workspace } from './harness.js';

type Json = Record<string, unknown>;

const report = { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' };
const accuracy = { 'Std:JsonGet': { PropertyFile: report, Path: 'metrics.accuracy.value' } };

/**
 * Evaluate writes evaluation.json (a PropertyFile); CheckAccuracy compares its accuracy with Parameters.Threshold and
 * runs Promote (IfSteps) or Reject, a Fail step (ElseSteps). Promote gets the accuracy through JsonGet as an argument.
 */
function gateDefinition(): Json {
  const evaluate = pyStep('Evaluate', [
    'import json',
    "json.dump({'metrics': {'accuracy': {'value': 0.87}}}, open('/opt/ml/processing/output/evaluation/evaluation.json', 'w'))",
    "print('evaluated')",
  ].join('\n'), [], ['evaluation'], {
    PropertyFiles: [{ PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' }],
  });
  const promote = pyStep('Promote', [
    'import sys', "report = open('/opt/ml/processing/input/evaluation/evaluation.json').read()",
    "open('/opt/ml/processing/output/promoted/promoted.txt', 'w').write('promoted at accuracy ' + sys.argv[1])",
  ].join('\n'), [['evaluation', outRef('Evaluate', 'evaluation')]], ['promoted']);
  (promote.Arguments as Json & { AppSpecification: Json }).AppSpecification.ContainerArguments = [
    { 'Std:Join': { On: '', Values: [accuracy] } },
  ];
  const reject = {
    Name: 'Reject',
    Type: 'Fail',
    Arguments: {
      ErrorMessage: { 'Std:Join': { On: ' ', Values: ['Accuracy', accuracy, 'is below the threshold', { Get: 'Parameters.Threshold' }] } },
    },
  };
  const check = {
    Name: 'CheckAccuracy',
    Type: 'Condition',
    Arguments: {
      Conditions: [{ Type: 'GreaterThanOrEqualTo', LeftValue: accuracy, RightValue: { Get: 'Parameters.Threshold' } }],
      IfSteps: [promote],
      ElseSteps: [reject],
    },
  };
  return {
    Version: '2020-12-01',
    Metadata: {},
    Parameters: [{ Name: 'Threshold', Type: 'Float', DefaultValue: 0.8 }],
    Steps: [evaluate, check],
  };
}

let ws: Workspace;
beforeAll(() => {
  ws = new Workspace();
  ws.write('pipeline.json', gateDefinition());
});
afterAll(() => ws.dispose());

describe('a Condition on a JsonGet metric chooses between a promote step and a Fail step (real Docker)', () => {
  it('plan shows the branches as undecided until the run reaches the Condition', async () => {
    const plan = await ws.run(['plan', 'pipeline.json']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/Evaluate\s+run\s+no earlier execution/);
    expect(plan.stdout).toMatch(/CheckAccuracy\s+run\s+upstream "Evaluate" will run/);
    expect(plan.stdout).toMatch(/Promote\s+run\s+\(if Condition "CheckAccuracy" is true\) upstream "Evaluate" will run/);
    expect(plan.stdout).toMatch(/Reject\s+run\s+\(if Condition "CheckAccuracy" is false\) upstream "Evaluate" will run/);
    expect(plan.stdout).not.toContain('blocked');
  });

  it('accuracy above the threshold: Promote runs with the metric, Reject is skipped, exit 0', async () => {
    const { result, json } = await ws.json(['run', 'pipeline.json', '--param', 'Threshold=0.8', '--json']);
    expect(result.code).toBe(0);
    expect(json.status).toBe('succeeded');
    expect(summary(json)).toEqual({ Evaluate: 'succeeded', CheckAccuracy: 'succeeded', Promote: 'succeeded', Reject: 'skipped' });
    expect(json.steps.find((s) => s.name === 'CheckAccuracy')?.attempts).toBe(0);
    expect(result.stderr).toContain('CheckAccuracy: evaluated to true: IfSteps run (Promote); ElseSteps are skipped (Reject)');
    const promoted = readFileSync(join(ws.home, 's3/test-bucket/runs', json.runId, 'Promote/promoted/promoted.txt'), 'utf8');
    expect(promoted).toBe('promoted at accuracy 0.87');
  });

  it('accuracy below the threshold: the Fail step fails the run with its message, Promote is skipped, exit 1', async () => {
    // Evaluate is reused from the first run: its property file is read from the output that run recorded.
    const { result, json } = await ws.json(['run', 'pipeline.json', '--param', 'Threshold=0.9', '--json']);
    expect(result.code).toBe(1);
    expect(json.status).toBe('failed');
    expect(summary(json)).toEqual({ Evaluate: 'succeeded (reused)', CheckAccuracy: 'succeeded', Promote: 'skipped', Reject: 'failed' });
    const reject = json.steps.find((s) => s.name === 'Reject');
    expect(reject).toMatchObject({ status: 'failed', attempts: 0, failureReason: 'Accuracy 0.87 is below the threshold 0.9' });
    expect(reject?.exitCode).toBeUndefined();
    expect(result.stderr).toContain('Fail step "Reject" ended the run: Accuracy 0.87 is below the threshold 0.9');

    // Plain mode: the progress view is on stdout; the Fail message is on stderr too.
    const plain = await ws.run(['run', 'pipeline.json', '--param', 'Threshold=0.95']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('Fail step "Reject" ended the run: Accuracy 0.87 is below the threshold 0.95');
    expect(plain.stdout).toMatch(/Promote: skipped/);
    const shown = await ws.run(['show', json.runId]);
    expect(shown.stdout).toContain('Fail step "Reject" ended the run: Accuracy 0.87 is below the threshold 0.9');
  });

  it('a JsonGet path missing from the property file fails the consuming step, naming the file and the path', async () => {
    const def = gateDefinition() as { Steps: Json[] };
    const check = def.Steps[1] as { Arguments: { Conditions: Json[] } };
    check.Arguments.Conditions = [{
      Type: 'GreaterThanOrEqualTo',
      LeftValue: { 'Std:JsonGet': { PropertyFile: report, Path: 'metrics.recall.value' } },
      RightValue: { Get: 'Parameters.Threshold' },
    }];
    ws.write('missing-path.json', def);
    const { result, json } = await ws.json(['run', 'missing-path.json', '--json']);
    expect(result.code).toBe(1);
    expect(summary(json)).toEqual({ Evaluate: 'succeeded (reused)', CheckAccuracy: 'failed', Promote: 'not-run', Reject: 'not-run' });
    expect(result.stderr).toMatch(new RegExp(
      'step "CheckAccuracy" failed: Condition step "CheckAccuracy" cannot be evaluated: Conditions\\[0\\]\\.LeftValue: '
      + 'Std:JsonGet: path "metrics\\.recall\\.value" not found in property file "EvaluationReport" of step "Evaluate" '
      + '\\(evaluation\\.json in output "evaluation", s3://test-bucket/runs/[a-z0-9]{12}/Evaluate/evaluation/evaluation\\.json\\): '
      + 'there is no key "recall" under "metrics"\\.'));
  });
});
