import { fromJson, pyJsonDumps, pyToStr } from '../kernel/python-json.js';
/**
 * Pipeline variables: values that SageMaker resolves when the pipeline runs (parameters, execution variables, step
 * properties, `Join`). Each serialises to its expression (`{"Get": ...}`, `{"Std:Join": ...}`) through `toJSON`, so
 * one can be used wherever a value goes in a step's options.
 */
export type JsonPrimitive = string | number | boolean | null;
export type Expression = { [key: string]: unknown };

export abstract class PipelineVariable {
  /** The expression as it appears in the definition. */
  abstract get expr(): Expression;

  toJSON(): Expression {
    return this.expr;
  }

  /**
   * The SDK's `to_string()`: a variable converted to a string when the pipeline runs, i.e. `Std:Join` on "" of it
   * (a `ParameterString` is already a string and returns itself).
   */
  toStringExpr(): PipelineVariable {
    return new Join({ on: '', values: [this] });
  }
}

/** A string, or a variable that resolves to one. */
export type Str = string | PipelineVariable;
/** A number, or a variable that resolves to one. */
export type Num = number | PipelineVariable;
/** Any value a step option may hold. */
export type Value = JsonPrimitive | PipelineVariable;

export function isPipelineVariable(v: unknown): v is PipelineVariable {
  return v instanceof PipelineVariable;
}

/** `{"Get": "<path>"}`. */
export class GetVariable extends PipelineVariable {
  constructor(readonly path: string) {
    super();
  }

  get expr(): Expression {
    return { Get: this.path };
  }
}

/** `Execution.*` variables (sagemaker.workflow.execution_variables.ExecutionVariables). */
export const ExecutionVariables = {
  START_DATETIME: new GetVariable('Execution.StartDateTime'),
  CURRENT_DATETIME: new GetVariable('Execution.CurrentDateTime'),
  PIPELINE_NAME: new GetVariable('Execution.PipelineName'),
  PIPELINE_ARN: new GetVariable('Execution.PipelineArn'),
  PIPELINE_EXECUTION_ID: new GetVariable('Execution.PipelineExecutionId'),
  PIPELINE_EXECUTION_ARN: new GetVariable('Execution.PipelineExecutionArn'),
} as const;

export interface JoinOptions {
  /** Separator (default ""). */
  on?: string;
  values: Value[];
}

/** `Std:Join` (sagemaker.workflow.functions.Join): the values joined with `on` when the pipeline runs. */
export class Join extends PipelineVariable {
  readonly on: string;
  readonly values: Value[];

  constructor(opts: JoinOptions) {
    super();
    this.on = opts.on ?? '';
    this.values = [...opts.values];
  }

  get expr(): Expression {
    return { 'Std:Join': { On: this.on, Values: this.values } };
  }
}

/** A hyperparameter value: a variable at the top level, or plain JSON. */
export type HyperparameterValue = Value | PlainJson[] | { [key: string]: PlainJson };
export type PlainJson = JsonPrimitive | PlainJson[] | { [key: string]: PlainJson };

function plainOnly(v: unknown): void {
  if (Array.isArray(v)) v.forEach(plainOnly);
  else if (typeof v === 'object' && v !== null) Object.values(v).forEach(plainOnly);
  if (isPipelineVariable(v)) throw new Error('a pipeline variable may only be a whole hyperparameter value, not part of a list or object');
}

/**
 * Python's `str()` of a plain value (True/False, None, lists and dicts as their repr), as the generic Estimator
 * applies. Integral numbers are Python ints, others floats (steps/python-json.ts, shared with script mode).
 */
export function pythonStr(v: PlainJson): string {
  plainOnly(v);
  return pyToStr(fromJson(v));
}

/** Python's `json.dumps` (separators ", " and ": ", non-ASCII escaped, float repr), as framework estimators encode hyperparameters. */
export function pythonJsonDumps(v: PlainJson): string {
  plainOnly(v);
  return pyJsonDumps(fromJson(v));
}

/** `s3.s3_path_join`: joins with "/", collapsing duplicate slashes but keeping `s3://`. */
export function s3PathJoin(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  const m = /^s3:\/\//.exec(joined);
  const rest = (m ? joined.slice(5) : joined).replace(/\/{2,}/g, '/');
  return (m ? 's3://' : '') + rest.replace(/^\//, m ? '' : '/');
}

/** The last path segment of a path or URI (`os.path.basename(urlparse(x).path)`). */
export function basenameOf(uri: string): string {
  const path = uri.replace(/^[a-z0-9]+:\/\/[^/]*/i, '');
  const parts = path.split('/');
  return parts[parts.length - 1] ?? '';
}

export function isS3Uri(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('s3://');
}
