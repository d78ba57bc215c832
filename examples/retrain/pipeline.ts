// The scenario's retraining pipeline (../../../shared/seed-scenario.md), written with cairn's TypeScript SDK:
//   Telemetry → Preprocess → Retrain → Evaluate → AccuracyGate → RegisterModels | AccuracyTooLow
// The gate registers the four models when the best one's test accuracy clears MinAccuracy, and fails the run otherwise.
// Run it from this folder:  node ../../dist/cli/main.js run pipeline.ts [--param Iterations=300] [--param FailAtIteration=50]
//                           [--param MinAccuracy=0.9]
import { readFileSync } from 'node:fs';
import {
  CacheConfig, ConditionGreaterThanOrEqualTo, ConditionStep, ExecutionVariables, FailStep, Join, JsonGet, LambdaStep,
  ParameterFloat, ParameterInteger, ParameterString, Pipeline, ProcessingInput, ProcessingOutput, ProcessingStep,
  PropertyFile, SageMakerJobExceptionType, SageMakerJobStepRetryPolicy, TensorFlow, TensorFlowProcessor, TrainingInput,
  TrainingStep,
} from 'cairn/sdk';

const BUCKET = 's3://cairn-retrain';
const ROLE = 'arn:aws:iam::111122223333:role/SageMakerExecutionRole';
const TF = { frameworkVersion: '2.19', pyVersion: 'py312' } as const;
const CHANNELS = ['unlabeled', 'risky', 'dormant', 'normal', 'heavy'] as const;

const processingInstanceType = new ParameterString({ name: 'ProcessingInstanceType', defaultValue: 'ml.m5.xlarge' });
const trainingInstanceType = new ParameterString({ name: 'TrainingInstanceType', defaultValue: 'ml.c5.2xlarge' });
const iterations = new ParameterInteger({ name: 'Iterations', defaultValue: 200 });
const failAtIteration = new ParameterInteger({ name: 'FailAtIteration', defaultValue: -1 });
const modelPackageGroup = new ParameterString({ name: 'ModelPackageGroup', defaultValue: 'risky-player-detector' });
const minAccuracy = new ParameterFloat({ name: 'MinAccuracy', defaultValue: 0.7 });

/** Hyperparameters come from a JSON file; the parameters above override the run-to-run ones. */
const hyperparameters = JSON.parse(readFileSync('hyperparameters.json', 'utf8')) as Record<string, number | string>;

const processor = new TensorFlowProcessor({ ...TF, role: ROLE, instanceType: processingInstanceType, instanceCount: 1 });
const cache = new CacheConfig({ enableCaching: true, expireAfter: 'P30D' });

/** s3://cairn-retrain/<execution id>/<step>/<output> */
const output = (step: string, name: string, source: string): ProcessingOutput<string> =>
  new ProcessingOutput({ outputName: name, source, destination: new Join({ on: '/', values: [BUCKET, ExecutionVariables.PIPELINE_EXECUTION_ID, step, name] }) });

const telemetry = new ProcessingStep({
  name: 'Telemetry',
  description: 'Synthetic player telemetry: four small labelled sets and an unlabelled pool (deterministic)',
  processor,
  code: 'generate.py',
  sourceDir: 'code/telemetry',
  jobArguments: ['--seed', '42', '--unlabeled', '3000'],
  outputs: CHANNELS.map((c) => output('Telemetry', c, `/opt/ml/processing/output/${c}`)),
  cacheConfig: cache,
});

const preprocess = new ProcessingStep({
  name: 'Preprocess',
  description: 'train / validation / test splits, k-fold variants and a fitted scaler',
  processor,
  code: 'preprocess.py',
  sourceDir: 'code/preprocess',
  jobArguments: ['--scaler_path', '/opt/ml/processing/scaler/scaler.npz', '--kfolds', String(hyperparameters.kfolds ?? 3)],
  inputs: CHANNELS.map((c) => new ProcessingInput({
    inputName: c, source: telemetry.properties.outputUri(c), destination: `/opt/ml/processing/input/${c}`,
  })),
  outputs: ['train', 'val', 'test', 'scaler'].map((o) => output('Preprocess', o, `/opt/ml/processing/${o}`)),
  cacheConfig: cache,
});

const estimator = new TensorFlow({
  ...TF,
  entryPoint: 'train.py',
  sourceDir: 'code/train',
  role: ROLE,
  instanceType: trainingInstanceType,
  instanceCount: 1,
  outputPath: `${BUCKET}/models`,
  // Finished models are checkpointed here, so a resumed run continues where the interrupted job stopped.
  checkpointS3Uri: new Join({ on: '/', values: [BUCKET, 'checkpoints', ExecutionVariables.PIPELINE_EXECUTION_ID] }),
  hyperparameters: { ...hyperparameters, iterations, fail_at_iteration: failAtIteration },
  metricDefinitions: [
    { name: 'discriminator:supervised_loss', regex: 'Discriminator_Supervised_Loss=([0-9.]+);' },
    { name: 'discriminator:unsupervised_loss', regex: 'Discriminator_UnSupervised_Loss=([0-9.]+);' },
    { name: 'generator:loss', regex: 'Generator_Loss=([0-9.]+);' },
    { name: 'train:accuracy', regex: 'Accuracy_Supervised=([0-9.]+);' },
    { name: 'validation:accuracy', regex: 'Validation_Accuracy=([0-9.]+);' },
  ],
});

const retrain = new TrainingStep({
  name: 'Retrain',
  description: 'Semi-supervised GAN: four classifiers (three k-fold splits and the full training split)',
  estimator,
  inputs: {
    train: new TrainingInput({ s3Data: preprocess.properties.outputUri('train') }),
    val: new TrainingInput({ s3Data: preprocess.properties.outputUri('val') }),
  },
  cacheConfig: cache,
  // A job that SageMaker ends with an internal or capacity error is retried (a failure of the script itself is not).
  retryPolicies: [new SageMakerJobStepRetryPolicy({
    exceptionTypes: [SageMakerJobExceptionType.INTERNAL_ERROR, SageMakerJobExceptionType.CAPACITY_ERROR], maxAttempts: 3, intervalSeconds: 10,
  })],
});

/** evaluation.json in Evaluate's `summary` output: {"best": {"model", "accuracy"}, "models": {...}}. */
const evaluationSummary = new PropertyFile({ name: 'EvaluationSummary', outputName: 'summary', path: 'evaluation.json' });

const evaluate = new ProcessingStep({
  name: 'Evaluate',
  description: 'Custom metrics as CSV, and model-quality JSON per model for the registry',
  processor,
  code: 'evaluate.py',
  sourceDir: 'code/evaluate',
  inputs: [
    new ProcessingInput({ inputName: 'model', source: retrain.properties.modelArtifacts.s3ModelArtifacts, destination: '/opt/ml/processing/model' }),
    new ProcessingInput({ inputName: 'test', source: preprocess.properties.outputUri('test'), destination: '/opt/ml/processing/test' }),
  ],
  outputs: [output('Evaluate', 'evaluation', '/opt/ml/processing/evaluation'), output('Evaluate', 'summary', '/opt/ml/processing/summary')],
  propertyFiles: [evaluationSummary],
  cacheConfig: cache,
});
const bestAccuracy = new JsonGet({ step: evaluate, propertyFile: evaluationSummary, jsonPath: 'best.accuracy' });

/** The four models Retrain writes into its one model.tar.gz: the k-fold models and the one on the full split. */
const kfolds = Number(hyperparameters.kfolds ?? 3);
const models = [...Array.from({ length: kfolds }, (_, i) => `fold_${i}`), 'full'];

// Registers the four models, each with its metrics, in the local model registry (handlers/register-models.ts,
// mapped in cairn.json), as the scenario's function step does with SageMaker's CreateModelPackage.
const register = new LambdaStep({
  name: 'RegisterModels',
  description: 'Registers the four models with their metrics and metadata in the model registry (PendingManualApproval)',
  functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:register-risky-models',
  inputs: {
    ModelPackageGroupName: modelPackageGroup,
    ModelDataUrl: retrain.properties.modelArtifacts.s3ModelArtifacts,
    EvaluationUri: evaluate.properties.outputUri('evaluation'),
    ExecutionId: ExecutionVariables.PIPELINE_EXECUTION_ID,
    Models: models.join(','),
  },
  outputs: [
    { outputName: 'ModelPackageGroupName', outputType: 'String' },
    { outputName: 'ModelPackageVersions', outputType: 'String' },
    { outputName: 'ModelPackageArns', outputType: 'String' },
  ],
});

const tooLow = new FailStep({
  name: 'AccuracyTooLow',
  errorMessage: new Join({
    values: ['the best model, ', new JsonGet({ step: evaluate, propertyFile: evaluationSummary, jsonPath: 'best.model' }),
      ', has a test accuracy of ', bestAccuracy, ', below MinAccuracy ', minAccuracy, ': no model was registered'],
  }),
});

const gate = new ConditionStep({
  name: 'AccuracyGate',
  description: "Registers the models only when the best one's test accuracy reaches MinAccuracy",
  conditions: [new ConditionGreaterThanOrEqualTo({ left: bestAccuracy, right: minAccuracy })],
  ifSteps: [register],
  elseSteps: [tooLow],
});

export default new Pipeline({
  name: 'risky-player-retraining',
  parameters: [processingInstanceType, trainingInstanceType, iterations, failAtIteration, modelPackageGroup, minAccuracy],
  steps: [telemetry, preprocess, retrain, evaluate, gate],
  defaultBucket: 'cairn-retrain',
});
