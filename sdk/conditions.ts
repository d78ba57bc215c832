import type { Value } from './entities.js';

/**
 * sagemaker.workflow.conditions: what a ConditionStep tests when the pipeline runs. Operands are plain values or
 * pipeline variables (parameters, step properties, `JsonGet`, `Join`, execution variables).
 */
export abstract class Condition {
  abstract readonly conditionType: ConditionType;

  abstract toRequest(): Record<string, unknown>;

  toJSON(): Record<string, unknown> {
    return this.toRequest();
  }
}

/** sagemaker.workflow.conditions.ConditionTypeEnum. */
export type ConditionType =
  | 'Equals' | 'GreaterThan' | 'GreaterThanOrEqualTo' | 'LessThan' | 'LessThanOrEqualTo' | 'In' | 'Not' | 'Or';

export interface ComparisonOptions {
  left: Value;
  right: Value;
}

/** `{Type, LeftValue, RightValue}` (sagemaker.workflow.conditions.ConditionComparison). */
export abstract class ConditionComparison extends Condition {
  readonly left: Value;
  readonly right: Value;

  constructor(opts: ComparisonOptions) {
    super();
    if (opts.left === undefined || opts.right === undefined) throw new Error(`${this.constructor.name}: both "left" and "right" are required`);
    this.left = opts.left;
    this.right = opts.right;
  }

  toRequest(): Record<string, unknown> {
    return { Type: this.conditionType, LeftValue: this.left, RightValue: this.right };
  }
}

/** left == right. */
export class ConditionEquals extends ConditionComparison {
  readonly conditionType = 'Equals';
}

/** left > right. */
export class ConditionGreaterThan extends ConditionComparison {
  readonly conditionType = 'GreaterThan';
}

/** left >= right. */
export class ConditionGreaterThanOrEqualTo extends ConditionComparison {
  readonly conditionType = 'GreaterThanOrEqualTo';
}

/** left < right. */
export class ConditionLessThan extends ConditionComparison {
  readonly conditionType = 'LessThan';
}

/** left <= right. */
export class ConditionLessThanOrEqualTo extends ConditionComparison {
  readonly conditionType = 'LessThanOrEqualTo';
}

/** `value` is one of `inValues`: `{Type: "In", QueryValue, Values}`. */
export class ConditionIn extends Condition {
  readonly conditionType = 'In';
  readonly value: Value;
  readonly inValues: Value[];

  constructor(opts: { value: Value; inValues: Value[] }) {
    super();
    if (!Array.isArray(opts.inValues) || opts.inValues.length === 0) throw new Error('ConditionIn: "inValues" needs at least one value');
    this.value = opts.value;
    this.inValues = [...opts.inValues];
  }

  toRequest(): Record<string, unknown> {
    return { Type: 'In', QueryValue: this.value, Values: this.inValues };
  }
}

/** The negation of a condition: `{Type: "Not", Condition}`. */
export class ConditionNot extends Condition {
  readonly conditionType = 'Not';
  readonly expression: Condition;

  constructor(opts: { expression: Condition }) {
    super();
    this.expression = opts.expression;
  }

  toRequest(): Record<string, unknown> {
    return { Type: 'Not', Condition: this.expression.toRequest() };
  }
}

/** True when any of its conditions is: `{Type: "Or", Conditions}`. */
export class ConditionOr extends Condition {
  readonly conditionType = 'Or';
  readonly conditions: Condition[];

  constructor(opts: { conditions: Condition[] }) {
    super();
    if (!Array.isArray(opts.conditions) || opts.conditions.length === 0) throw new Error('ConditionOr: "conditions" needs at least one condition');
    this.conditions = [...opts.conditions];
  }

  toRequest(): Record<string, unknown> {
    return { Type: 'Or', Conditions: this.conditions.map((c) => c.toRequest()) };
  }
}
