import type { BuildContext } from './build-context.js';
import { isPipelineVariable, pythonJsonDumps, type Value } from './entities.js';
import { Estimator, scriptModeHyperparameters, type EstimatorOptions } from './estimator.js';
import { DEFAULT_REGION, processorOf } from './image-uris.js';
import { ScriptProcessor, type ScriptProcessorOptions } from './processing.js';

/** The SageMaker scikit-learn images' registries (sagemaker/image_uri_config/sklearn.json), for the common regions. */
const SKLEARN_ACCOUNTS: Record<string, string> = {
  'us-east-1': '683313688378', 'us-east-2': '257758044811', 'us-west-1': '746614075791', 'us-west-2': '246618743249',
  'eu-west-1': '141502667606', 'eu-central-1': '492215442770', 'ap-northeast-1': '354813040037', 'ap-southeast-2': '783357654285',
};
const SKLEARN_VERSIONS = ['0.20.0', '0.23-1', '1.0-1', '1.2-1', '1.4-2'];

/** `image_uris.retrieve("sklearn", region, version)`: `<account>.dkr.ecr.<region>.amazonaws.com/sagemaker-scikit-learn:<version>-cpu-py3`. */
export function sklearnImageUri(kind: string, frameworkVersion: string, instanceType: unknown, region = DEFAULT_REGION): string {
  if (!SKLEARN_VERSIONS.includes(frameworkVersion)) {
    throw new Error(`${kind}: frameworkVersion ${JSON.stringify(frameworkVersion)} has no scikit-learn image (the SDK knows ${SKLEARN_VERSIONS.join(', ')})`);
  }
  if (typeof instanceType === 'string' && processorOf(instanceType) === 'gpu') throw new Error(`${kind}: the scikit-learn images are CPU only (instanceType ${instanceType})`);
  const account = SKLEARN_ACCOUNTS[region];
  if (account === undefined) throw new Error(`${kind}: no scikit-learn image registry known for region ${region}; pass "imageUri"`);
  return `${account}.dkr.ecr.${region}.amazonaws.com/sagemaker-scikit-learn:${frameworkVersion}-cpu-py3`;
}

export interface SKLearnProcessorOptions extends Omit<ScriptProcessorOptions, 'command' | 'imageUri'> {
  frameworkVersion: string;
  /** Default `["python3"]`. */
  command?: string[];
  /** Default: the scikit-learn image for the version and region. */
  imageUri?: string;
  /** Default us-east-1. */
  region?: string;
}

/** sagemaker.sklearn.processing.SKLearnProcessor: a ScriptProcessor on the scikit-learn image. */
export class SKLearnProcessor extends ScriptProcessor {
  readonly frameworkVersion: string;

  constructor(opts: SKLearnProcessorOptions) {
    const imageUri = opts.imageUri ?? sklearnImageUri('SKLearnProcessor', opts.frameworkVersion, opts.instanceType, opts.region);
    super({ ...opts, imageUri, command: opts.command ?? ['python3'] });
    this.frameworkVersion = opts.frameworkVersion;
  }
}

export interface SKLearnOptions extends Omit<EstimatorOptions, 'imageUri' | 'entryPoint'> {
  entryPoint: string;
  frameworkVersion: string;
  /** Default py3 (the only one). */
  pyVersion?: string;
  imageUri?: string;
}

/** sagemaker.sklearn.estimator.SKLearn: script mode on the scikit-learn image; every hyperparameter JSON-encoded. */
export class SKLearn extends Estimator {
  readonly frameworkVersion: string;

  constructor(opts: SKLearnOptions) {
    const imageUri = opts.imageUri ?? sklearnImageUri('SKLearn', opts.frameworkVersion, opts.instanceType, opts.region);
    super({ ...opts, imageUri });
    this.frameworkVersion = opts.frameworkVersion;
  }

  override hyperparameters(ctx?: BuildContext): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (const [k, v] of Object.entries(this.opts.hyperparameters ?? {})) out[k] = isPipelineVariable(v) ? v.toStringExpr() : pythonJsonDumps(v);
    return { ...out, ...scriptModeHyperparameters(this.constructor.name, this.opts, true, ctx) };
  }
}
