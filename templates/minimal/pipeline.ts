// A two-step pipeline written with cairn's TypeScript SDK (cairn/sdk, after sagemaker.workflow):
//   Prepare → Summarize
// Run it from this directory: `npx cairn plan pipeline.ts`, then `npx cairn run pipeline.ts`.
import { ParameterInteger, Pipeline, ProcessingInput, ProcessingOutput, ProcessingStep, ScriptProcessor } from 'cairn/sdk';

// The official scikit-learn processing image, as on SageMaker; cairn.json maps it to a local stand-in.
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const ROLE = 'arn:aws:iam::111122223333:role/SageMakerExecutionRole';

const rows = new ParameterInteger({ name: 'Rows', defaultValue: 100 });

const processor = new ScriptProcessor({ imageUri: IMAGE, command: ['python3'], instanceType: 'ml.m5.large', instanceCount: 1, role: ROLE });

// Local scripts (paths relative to this directory) are uploaded under a content hash: editing one re-runs its step.
const prepare = new ProcessingStep({
  name: 'Prepare',
  processor,
  code: 'code/prepare.py',
  jobArguments: ['--rows', rows.toStringExpr()],
  outputs: [new ProcessingOutput({ outputName: 'data', source: '/opt/ml/processing/data' })],
});

const summarize = new ProcessingStep({
  name: 'Summarize',
  processor,
  code: 'code/summarize.py',
  inputs: [new ProcessingInput({ inputName: 'data', source: prepare.properties.outputUri('data'), destination: '/opt/ml/processing/input/data' })],
  outputs: [new ProcessingOutput({ outputName: 'summary', source: '/opt/ml/processing/summary' })],
});

export default new Pipeline({ name: '{{name}}', parameters: [rows], steps: [prepare, summarize] });
