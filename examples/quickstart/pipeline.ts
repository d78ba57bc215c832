// The quickstart pipeline written with cairn's TypeScript SDK; `pipeline.json` beside it is its definition.
//   node ../../dist/cli/main.js plan pipeline.ts
import {
  Estimator, ExecutionVariables, Join, ParameterInteger, ParameterString, Pipeline, ProcessingInput, ProcessingOutput,
  ProcessingStep, ScriptProcessor, TrainingInput, TrainingStep,
} from 'cairn/sdk';

const BUCKET = 's3://cairn-quickstart';
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const ROLE = 'arn:aws:iam::111122223333:role/SageMakerExecutionRole';

const processingInstanceType = new ParameterString({ name: 'ProcessingInstanceType', defaultValue: 'ml.m5.large' });
const rows = new ParameterInteger({ name: 'Rows', defaultValue: 2000 });
const epochs = new ParameterInteger({ name: 'Epochs', defaultValue: 60 });
const failAtEpoch = new ParameterInteger({ name: 'FailAtEpoch', defaultValue: -1 });

const processor = new ScriptProcessor({
  imageUri: IMAGE, command: ['python3'], instanceType: processingInstanceType, instanceCount: 1, role: ROLE,
});

/** s3://cairn-quickstart/runs/<execution id>/<step>/<output> */
function outputOf(step: string, name: string) {
  return new ProcessingOutput({
    outputName: name,
    source: `/opt/ml/processing/${name}`,
    destination: new Join({ on: '/', values: [BUCKET, 'runs', ExecutionVariables.PIPELINE_EXECUTION_ID, step, name] }),
  });
}

const generate = new ProcessingStep({
  name: 'Generate',
  processor,
  outputs: [outputOf('Generate', 'raw')],
  jobArguments: ['--rows', rows.toStringExpr(), '--seed', '7'],
  code: `${BUCKET}/code/generate.py`,
});

const prepare = new ProcessingStep({
  name: 'Prepare',
  processor,
  inputs: [
    new ProcessingInput({
      inputName: 'raw',
      source: generate.properties.processingOutputConfig.outputs.get('raw').s3Output.s3Uri,
      destination: '/opt/ml/processing/input/raw',
    }),
  ],
  outputs: [outputOf('Prepare', 'train'), outputOf('Prepare', 'test'), outputOf('Prepare', 'scaler')],
  code: `${BUCKET}/code/prepare.py`,
});

const profile = new ProcessingStep({
  name: 'Profile',
  processor,
  inputs: [new ProcessingInput({ inputName: 'train', source: prepare.properties.outputUri('train'), destination: '/opt/ml/processing/input/train' })],
  outputs: [outputOf('Profile', 'profile')],
  code: `${BUCKET}/code/profile.py`,
});

const estimator = new Estimator({
  imageUri: IMAGE,
  role: ROLE,
  instanceType: 'ml.m5.large',
  instanceCount: 1,
  maxRun: 3600,
  containerEntrypoint: ['python3', '/opt/ml/input/data/code/train.py'],
  metricDefinitions: [
    { name: 'train:loss', regex: 'Loss=([0-9.]+);' },
    { name: 'train:accuracy', regex: 'Accuracy=([0-9.]+);' },
  ],
  hyperparameters: { epochs, learning_rate: 0.5, fail_at_epoch: failAtEpoch },
  outputPath: new Join({ on: '/', values: [BUCKET, 'models', ExecutionVariables.PIPELINE_EXECUTION_ID] }),
});

const train = new TrainingStep({
  name: 'Train',
  estimator,
  inputs: {
    train: new TrainingInput({ s3Data: prepare.properties.outputUri('train'), contentType: 'text/csv' }),
    code: `${BUCKET}/code/train.py`,
  },
});

const evaluate = new ProcessingStep({
  name: 'Evaluate',
  processor,
  inputs: [
    new ProcessingInput({ inputName: 'model', source: train.properties.modelArtifacts.s3ModelArtifacts, destination: '/opt/ml/processing/model' }),
    new ProcessingInput({ inputName: 'test', source: prepare.properties.outputUri('test'), destination: '/opt/ml/processing/test' }),
  ],
  outputs: [outputOf('Evaluate', 'evaluation')],
  code: `${BUCKET}/code/evaluate.py`,
});

const report = new ProcessingStep({
  name: 'Report',
  processor,
  inputs: [
    new ProcessingInput({ inputName: 'profile', source: profile.properties.outputUri('profile'), destination: '/opt/ml/processing/input/profile' }),
    new ProcessingInput({ inputName: 'evaluation', source: evaluate.properties.outputUri('evaluation'), destination: '/opt/ml/processing/input/evaluation' }),
  ],
  outputs: [outputOf('Report', 'report')],
  code: `${BUCKET}/code/report.py`,
});

export default new Pipeline({
  name: 'quickstart',
  parameters: [processingInstanceType, rows, epochs, failAtEpoch],
  steps: [generate, prepare, profile, train, evaluate, report],
});
