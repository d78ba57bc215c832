import { PipelineVariable, type Expression, type Str } from './entities.js';

export interface PropertyFileOptions<O extends string = string> {
  /** The name `JsonGet` refers to it by. */
  name: string;
  /** The Processing step's output the file is written to. */
  outputName: O;
  /** The file's path inside that output, e.g. `evaluation.json`. */
  path: string;
}

/**
 * sagemaker.workflow.properties.PropertyFile: a JSON file a Processing step writes into one of its outputs, whose
 * values later steps read with `JsonGet` (a ConditionStep's gate, a FailStep's message). Given to the step as
 * `propertyFiles`; serialised as `{PropertyFileName, OutputName, FilePath}`.
 */
export class PropertyFile<const O extends string = string> {
  readonly name: string;
  readonly outputName: O;
  readonly path: string;

  constructor(opts: PropertyFileOptions<O>) {
    for (const field of ['name', 'outputName', 'path'] as const) {
      if (typeof opts[field] !== 'string' || opts[field] === '') throw new Error(`PropertyFile: "${field}" is required (a non-empty string)`);
    }
    this.name = opts.name;
    this.outputName = opts.outputName;
    this.path = opts.path;
  }

  toRequest(): Record<string, unknown> {
    return { PropertyFileName: this.name, OutputName: this.outputName, FilePath: this.path };
  }
}

/** What `JsonGet` needs of the step that writes the property file. */
export interface PropertyFileHolder {
  readonly name: string;
  readonly propertyFiles: readonly PropertyFile[];
}

export type JsonGetOptions =
  | { step: PropertyFileHolder | string; propertyFile: PropertyFile | string; jsonPath: string }
  | { s3Uri: Str; jsonPath: string };

/**
 * `Std:JsonGet` (sagemaker.workflow.functions.JsonGet): the value at `jsonPath` (JsonPath without `$.`, e.g.
 * `best.accuracy` or `metrics[0].value`) in a step's property file, or in a JSON object at `s3Uri`, read when the
 * pipeline runs. `step` may be the step or its name (the SDK's `step_name`).
 */
export class JsonGet extends PipelineVariable {
  readonly jsonPath: string;
  private readonly source: { propertyFile: string } | { s3Uri: Str };

  constructor(opts: JsonGetOptions) {
    super();
    if (typeof opts.jsonPath !== 'string' || opts.jsonPath === '') throw new Error('JsonGet: "jsonPath" is required');
    this.jsonPath = opts.jsonPath;
    if ('s3Uri' in opts) {
      this.source = { s3Uri: opts.s3Uri };
      return;
    }
    const stepName = typeof opts.step === 'string' ? opts.step : opts.step.name;
    const fileName = typeof opts.propertyFile === 'string' ? opts.propertyFile : opts.propertyFile.name;
    if (typeof opts.step !== 'string') {
      const known = opts.step.propertyFiles.map((f) => f.name);
      if (!known.includes(fileName)) {
        const list = known.length === 0 ? 'it has none' : `it has ${known.map((k) => `"${k}"`).join(', ')}`;
        throw new Error(`JsonGet: step "${stepName}" has no property file "${fileName}" (${list}); pass it in the step's "propertyFiles"`);
      }
    }
    this.source = { propertyFile: `Steps.${stepName}.PropertyFiles.${fileName}` };
  }

  get expr(): Expression {
    if ('s3Uri' in this.source) return { 'Std:JsonGet': { S3Uri: this.source.s3Uri, Path: this.jsonPath } };
    return { 'Std:JsonGet': { PropertyFile: { Get: this.source.propertyFile }, Path: this.jsonPath } };
  }
}
