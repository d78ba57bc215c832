import { describe, expect, it } from 'vitest';
import {
  ExecutionVariables, Join, ParameterBoolean, ParameterFloat, ParameterInteger, ParameterString, Pipeline,
  PipelineExperimentConfig, ProcessingOutput, ProcessingStep, ScriptProcessor,
} from '../../sdk/index.js';

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('parameters', () => {
  it('serialise to the Parameters list and to Get expressions', () => {
    const params = [
      new ParameterString({ name: 'Mode', defaultValue: 'fast', enumValues: ['fast', 'slow'] }),
      new ParameterInteger({ name: 'Count', defaultValue: 2 }),
      new ParameterFloat({ name: 'Threshold', defaultValue: 6.5 }),
      new ParameterBoolean({ name: 'Flag', defaultValue: false }),
      new ParameterString({ name: 'NoDefault' }),
    ];
    expect(params.map((p) => p.toRequest())).toEqual([
      { Name: 'Mode', Type: 'String', DefaultValue: 'fast', EnumValues: ['fast', 'slow'] },
      { Name: 'Count', Type: 'Integer', DefaultValue: 2 },
      { Name: 'Threshold', Type: 'Float', DefaultValue: 6.5 },
      { Name: 'Flag', Type: 'Boolean', DefaultValue: false },
      { Name: 'NoDefault', Type: 'String' },
    ]);
    expect(plain({ v: params[1] })).toEqual({ v: { Get: 'Parameters.Count' } });
    expect(plain(params[1]!.toStringExpr())).toEqual({ 'Std:Join': { On: '', Values: [{ Get: 'Parameters.Count' }] } });
    expect(params[0]!.toStringExpr()).toBe(params[0]);
  });

  it('check their defaults', () => {
    expect(() => new ParameterInteger({ name: 'N', defaultValue: 1.5 })).toThrow(/not an integer/);
    expect(() => new ParameterString({ name: 'S', defaultValue: 'c', enumValues: ['a', 'b'] })).toThrow(/not one of its enumValues/);
    expect(() => new Pipeline({ name: 'p', steps: [], parameters: [new ParameterInteger({ name: 'N' }), new ParameterFloat({ name: 'N' })] }))
      .toThrow(/two parameters are named "N"/);
  });
});

describe('Join and execution variables', () => {
  it('serialise as Std:Join and Execution.* Gets, nested', () => {
    const j = new Join({ on: '/', values: ['s3://b', ExecutionVariables.PIPELINE_EXECUTION_ID, new Join({ values: ['x', 1, true] })] });
    expect(plain(j)).toEqual({
      'Std:Join': { On: '/', Values: ['s3://b', { Get: 'Execution.PipelineExecutionId' }, { 'Std:Join': { On: '', Values: ['x', 1, true] } }] },
    });
    expect(Object.fromEntries(Object.entries(ExecutionVariables).map(([k, v]) => [k, v.path]))).toEqual({
      START_DATETIME: 'Execution.StartDateTime', CURRENT_DATETIME: 'Execution.CurrentDateTime', PIPELINE_NAME: 'Execution.PipelineName',
      PIPELINE_ARN: 'Execution.PipelineArn', PIPELINE_EXECUTION_ID: 'Execution.PipelineExecutionId', PIPELINE_EXECUTION_ARN: 'Execution.PipelineExecutionArn',
    });
  });
});

describe('step properties', () => {
  const processor = new ScriptProcessor({ imageUri: 'img', command: ['python3'], instanceType: 'ml.m5.large', role: 'r' });
  const step = new ProcessingStep({
    name: 'Prep', processor, code: 's3://b/p.py',
    outputs: [new ProcessingOutput({ outputName: 'train', source: '/opt/ml/processing/train' }), new ProcessingOutput({ source: '/opt/ml/processing/x' })],
  });

  it('serialise to the SDK property paths', () => {
    expect(plain(step.properties.processingOutputConfig.outputs.get('train').s3Output.s3Uri))
      .toEqual({ Get: "Steps.Prep.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri" });
    expect(plain(step.properties.outputUri('output-2'))).toEqual({ Get: "Steps.Prep.ProcessingOutputConfig.Outputs['output-2'].S3Output.S3Uri" });
    expect(plain(step.properties.processingJobName)).toEqual({ Get: 'Steps.Prep.ProcessingJobName' });
  });

  it('refuse an output the step does not have', () => {
    expect(() => step.properties.outputUri('tran')).toThrow('step "Prep" has no output "tran" (it has "train", "output-2")');
  });

  it('are typed by the output names', () => {
    const typed = new ProcessingStep({ name: 'T', processor, code: 's3://b/p.py', outputs: [new ProcessingOutput({ outputName: 'a', source: '/opt/ml/processing/a' })] });
    // @ts-expect-error "b" is not one of the step's output names
    expect(() => typed.properties.outputUri('b')).toThrow();
  });
});

describe('Pipeline', () => {
  it('writes the default experiment config, or a given one, or none', () => {
    expect(new Pipeline({ name: 'p', steps: [] }).definitionObject()).toEqual({
      Version: '2020-12-01', Metadata: {}, Parameters: [],
      PipelineExperimentConfig: { ExperimentName: { Get: 'Execution.PipelineName' }, TrialName: { Get: 'Execution.PipelineExecutionId' } },
      Steps: [],
    });
    const custom = new PipelineExperimentConfig({ experimentName: 'exp', trialName: new Join({ on: '-', values: ['t', ExecutionVariables.PIPELINE_EXECUTION_ID] }) });
    expect(new Pipeline({ name: 'p', steps: [], pipelineExperimentConfig: custom }).definitionObject().PipelineExperimentConfig)
      .toEqual({ ExperimentName: 'exp', TrialName: { 'Std:Join': { On: '-', Values: ['t', { Get: 'Execution.PipelineExecutionId' }] } } });
    const none = new Pipeline({ name: 'p', steps: [], pipelineExperimentConfig: null, maxParallelExecutionSteps: 2 }).definitionObject();
    // As the Python SDK writes it for pipeline_experiment_config=None (test/sagemaker-sdk/oracle-control-steps.test.ts).
    expect(none).toHaveProperty('PipelineExperimentConfig', null);
    expect(none.ParallelismConfiguration).toEqual({ MaxParallelExecutionSteps: 2 });
  });
});
