import { describe, expect, it } from 'vitest';
import {
  ConditionEquals, ConditionStep, FailStep, JsonGet, LambdaStep, Model, ModelStep, ParallelismConfiguration, Pipeline,
  ProcessingOutput, ProcessingStep, PropertyFile, SageMakerJobExceptionType, SageMakerJobStepRetryPolicy, ScriptProcessor,
  StepExceptionType, StepRetryPolicy, Transformer,
} from '../../sdk/index.js';

// The SDK refuses, at build time and naming the step and the field, what SageMaker (or the Python SDK) would refuse.
const role = 'arn:aws:iam::111122223333:role/r';
const processor = new ScriptProcessor({ imageUri: 'img', command: ['python3'], role, instanceType: 'ml.m5.large' });
const report = new PropertyFile({ name: 'Report', outputName: 'evaluation', path: 'report.json' });
const evaluate = new ProcessingStep({
  name: 'Evaluate', processor, code: 's3://b/evaluate.py', propertyFiles: [report],
  outputs: [new ProcessingOutput({ outputName: 'evaluation', source: '/opt/ml/processing/evaluation' })],
});

describe('the workflow classes refuse what SageMaker would', () => {
  it('a JsonGet on a property file the step does not have', () => {
    expect(() => new JsonGet({ step: evaluate, propertyFile: 'Reprot', jsonPath: 'a' }))
      .toThrow('JsonGet: step "Evaluate" has no property file "Reprot" (it has "Report")');
  });

  it('a property file on an output the step does not have', () => {
    expect(() => new ProcessingStep({
      name: 'Bad', processor, code: 's3://b/e.py', outputs: [new ProcessingOutput({ outputName: 'evaluation', source: '/e' })],
      propertyFiles: [new PropertyFile({ name: 'R', outputName: 'evaluaton' as 'evaluation', path: 'r.json' })],
    })).toThrow('step "Bad": property file "R" names output "evaluaton", which the step does not have ("evaluation")');
  });

  it('a Lambda output that was not declared (from plain JavaScript)', () => {
    const lambda = new LambdaStep({ name: 'L', functionArn: 'arn:aws:lambda:us-east-1:1:function:f', outputs: [{ outputName: 'versions' }] });
    expect(() => lambda.properties.outputs('version' as 'versions')).toThrow('step "L" has no output "version" (it has "versions")');
  });

  it('a SageMakerJobStepRetryPolicy on a model step, and retry limits outside SageMaker\'s', () => {
    const model = new Model({ imageUri: 'img', modelData: 's3://b/m.tar.gz', role });
    const policy = new SageMakerJobStepRetryPolicy({ exceptionTypes: [SageMakerJobExceptionType.CAPACITY_ERROR], maxAttempts: 2 });
    expect(() => new ModelStep({ name: 'M', stepArgs: model.create(), retryPolicies: [policy] }))
      .toThrow('step "M": SageMakerJobStepRetryPolicy is not allowed for a create/register model step; use StepRetryPolicy');
    expect(() => new StepRetryPolicy({ exceptionTypes: [StepExceptionType.THROTTLING], maxAttempts: 21 }))
      .toThrow('StepRetryPolicy: "maxAttempts" 21 must be an integer from 1 to 20');
    expect(() => new ParallelismConfiguration({ maxParallelExecutionSteps: 0 })).toThrow('"maxParallelExecutionSteps" 0 must be an integer of at least 1');
  });

  it('a branch step listed in the pipeline too, and a Transformer without an output path', () => {
    const fail = new FailStep({ name: 'Stop' });
    const gate = new ConditionStep({ name: 'Gate', conditions: [new ConditionEquals({ left: 1, right: 2 })], elseSteps: [fail] });
    expect(() => new Pipeline({ name: 'p', steps: [evaluate, gate, fail] })).toThrow('Pipeline "p": two steps are named "Stop"');
    expect(() => new Transformer({ modelName: 'm', instanceType: 'ml.m5.large', outputPath: '' })).toThrow('Transformer: "outputPath" is required');
  });

  it('DependsOn names a step collection by its last step, as the SDK resolves it', () => {
    const model = new Model({ imageUri: 'img', modelData: 's3://b/m.tar.gz', role });
    const create = new ModelStep({ name: 'Make', stepArgs: model.create() });
    const after = new FailStep({ name: 'After', dependsOn: ['Make', create, evaluate] });
    const def = new Pipeline({ name: 'p', steps: [evaluate, create, after] }).definitionObject() as { Steps: { Name: string; DependsOn?: string[] }[] };
    expect(def.Steps.map((s) => [s.Name, s.DependsOn])).toEqual([
      ['Evaluate', undefined], ['Make-CreateModel', undefined], ['After', ['Make-CreateModel', 'Make-CreateModel', 'Evaluate']],
    ]);
  });
});
