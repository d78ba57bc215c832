import { PipelineVariable, type Expression } from './entities.js';

/** Parameter types of the definition (sagemaker.workflow.parameters.ParameterTypeEnum). */
export type ParameterType = 'String' | 'Integer' | 'Float' | 'Boolean';

interface ParameterOptions<T> {
  name: string;
  defaultValue?: T;
}

/** A pipeline parameter; as a value it serialises to `{"Get": "Parameters.<name>"}`. */
export abstract class Parameter<T extends string | number | boolean = string | number | boolean> extends PipelineVariable {
  abstract readonly parameterType: ParameterType;
  readonly name: string;
  readonly defaultValue: T | undefined;

  protected constructor(opts: ParameterOptions<T>) {
    super();
    if (typeof opts.name !== 'string' || opts.name === '') throw new Error('a parameter needs a non-empty name');
    this.name = opts.name;
    this.defaultValue = opts.defaultValue;
  }

  get expr(): Expression {
    return { Get: `Parameters.${this.name}` };
  }

  /** The entry of the definition's `Parameters` list. */
  toRequest(): Record<string, unknown> {
    const r: Record<string, unknown> = { Name: this.name, Type: this.parameterType };
    if (this.defaultValue !== undefined) r.DefaultValue = this.defaultValue;
    return r;
  }
}

export class ParameterString extends Parameter<string> {
  readonly parameterType = 'String';
  readonly enumValues: string[] | undefined;

  constructor(opts: ParameterOptions<string> & { enumValues?: string[] }) {
    super(opts);
    this.enumValues = opts.enumValues;
    if (opts.enumValues !== undefined && opts.defaultValue !== undefined && !opts.enumValues.includes(opts.defaultValue)) {
      throw new Error(`parameter "${opts.name}": default value ${JSON.stringify(opts.defaultValue)} is not one of its enumValues`);
    }
  }

  /** A String parameter is already a string when the pipeline runs (as in the SDK). */
  override toStringExpr(): PipelineVariable {
    return this;
  }

  override toRequest(): Record<string, unknown> {
    const r = super.toRequest();
    if (this.enumValues !== undefined && this.enumValues.length > 0) r.EnumValues = this.enumValues;
    return r;
  }
}

export class ParameterInteger extends Parameter<number> {
  readonly parameterType = 'Integer';

  constructor(opts: ParameterOptions<number>) {
    super(opts);
    if (opts.defaultValue !== undefined && !Number.isInteger(opts.defaultValue)) {
      throw new Error(`parameter "${opts.name}": default value ${opts.defaultValue} is not an integer`);
    }
  }
}

export class ParameterFloat extends Parameter<number> {
  readonly parameterType = 'Float';

  constructor(opts: ParameterOptions<number>) {
    super(opts);
  }
}

export class ParameterBoolean extends Parameter<boolean> {
  readonly parameterType = 'Boolean';

  constructor(opts: ParameterOptions<boolean>) {
    super(opts);
  }
}
