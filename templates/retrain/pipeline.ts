// A retraining pipeline written with cairn's TypeScript SDK (cairn/sdk, after sagemaker.workflow):
//   Preprocess → Train → Evaluate → AccuracyGate → Register | AccuracyTooLow
// The gate (a ConditionStep on Evaluate's PropertyFile) runs Register (a Lambda step, handlers/register.ts, mapped in
// cairn.json) only when the model's accuracy reaches MinAccuracy, and otherwise AccuracyTooLow, a FailStep that ends
// the run with a message naming the accuracy.
// Run it from this directory: `npx cairn plan pipeline.ts`, then `npx cairn run pipeline.ts`.
import {
  ConditionGreaterThanOrEqualTo, ConditionStep, Estimator, ExecutionVariables, FailStep, Join, JsonGet, LambdaStep,
  ParameterFloat, ParameterInteger, ParameterString, Pipeline, ProcessingInput, ProcessingOutput, ProcessingStep,
  PropertyFile, ScriptProcessor, TrainingInput, TrainingStep,
} from 'cairn/sdk';

// The official scikit-learn image, as on SageMaker; cairn.json maps it to a local stand-in (python3 + numpy).
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const ROLE = 'arn:aws:iam::111122223333:role/SageMakerExecutionRole';

const rows = new ParameterInteger({ name: 'Rows', defaultValue: 2000 });
const epochs = new ParameterInteger({ name: 'Epochs', defaultValue: 200 });
const minAccuracy = new ParameterFloat({ name: 'MinAccuracy', defaultValue: 0.8 });
const modelPackageGroup = new ParameterString({ name: 'ModelPackageGroup', defaultValue: '{{name}}' });

const processor = new ScriptProcessor({ imageUri: IMAGE, command: ['python3'], instanceType: 'ml.m5.large', instanceCount: 1, role: ROLE });

// Local scripts (paths relative to this directory) are uploaded under a content hash: editing one re-runs its step
// and what depends on it; the others are reused from the cache.
const preprocess = new ProcessingStep({
  name: 'Preprocess',
  processor,
  code: 'code/preprocess.py',
  jobArguments: ['--rows', rows.toStringExpr()],
  outputs: [
    new ProcessingOutput({ outputName: 'train', source: '/opt/ml/processing/train' }),
    new ProcessingOutput({ outputName: 'test', source: '/opt/ml/processing/test' }),
  ],
});

// Script mode: code/train/ is packed into sourcedir.tar.gz and train.py runs with the hyperparameters as arguments.
const estimator = new Estimator({
  imageUri: IMAGE,
  role: ROLE,
  instanceType: 'ml.m5.large',
  instanceCount: 1,
  entryPoint: 'train.py',
  sourceDir: 'code/train',
  hyperparameters: { epochs, learning_rate: 0.5 },
  metricDefinitions: [{ name: 'train:loss', regex: 'loss=([0-9.]+);' }],
});

const train = new TrainingStep({
  name: 'Train',
  estimator,
  inputs: { train: new TrainingInput({ s3Data: preprocess.properties.outputUri('train'), contentType: 'text/csv' }) },
});

/** evaluation.json in Evaluate's `evaluation` output: {"metrics": {"accuracy": {"value": ...}}}. */
const evaluation = new PropertyFile({ name: 'Evaluation', outputName: 'evaluation', path: 'evaluation.json' });

const evaluate = new ProcessingStep({
  name: 'Evaluate',
  processor,
  code: 'code/evaluate.py',
  inputs: [
    new ProcessingInput({ inputName: 'model', source: train.properties.modelArtifacts.s3ModelArtifacts, destination: '/opt/ml/processing/model' }),
    new ProcessingInput({ inputName: 'test', source: preprocess.properties.outputUri('test'), destination: '/opt/ml/processing/test' }),
  ],
  outputs: [new ProcessingOutput({ outputName: 'evaluation', source: '/opt/ml/processing/evaluation' })],
  propertyFiles: [evaluation],
});
const accuracy = new JsonGet({ step: evaluate, propertyFile: evaluation, jsonPath: 'metrics.accuracy.value' });

const register = new LambdaStep({
  name: 'Register',
  functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:register-model',
  inputs: {
    ModelPackageGroupName: modelPackageGroup,
    ModelDataUrl: train.properties.modelArtifacts.s3ModelArtifacts,
    EvaluationUri: evaluate.properties.outputUri('evaluation'),
    ExecutionId: ExecutionVariables.PIPELINE_EXECUTION_ID,
  },
  outputs: [{ outputName: 'ModelPackageArn', outputType: 'String' }],
});

const tooLow = new FailStep({
  name: 'AccuracyTooLow',
  errorMessage: new Join({ values: ['the model has a test accuracy of ', accuracy, ', below MinAccuracy ', minAccuracy, ': it was not registered'] }),
});

const gate = new ConditionStep({
  name: 'AccuracyGate',
  conditions: [new ConditionGreaterThanOrEqualTo({ left: accuracy, right: minAccuracy })],
  ifSteps: [register],
  elseSteps: [tooLow],
});

export default new Pipeline({
  name: '{{name}}',
  parameters: [rows, epochs, minAccuracy, modelPackageGroup],
  steps: [preprocess, train, evaluate, gate],
});
