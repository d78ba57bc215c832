import { describe, expect, it } from 'vitest';
import { evaluateConditions } from '../../engine/definition/condition.js';
import type { JsonValue } from '../../kernel/json.js';

const cmp = (Type: string, LeftValue: JsonValue, RightValue: JsonValue): JsonValue => ({ Type, LeftValue, RightValue });
const outcome = (...conditions: JsonValue[]): boolean | string => {
  const r = evaluateConditions(conditions);
  return r.ok ? r.value : r.error.message;
};

describe('condition evaluation', () => {
  it.each([
    ['Equals', 1, 1, true], ['Equals', 1, 1.0, true], ['Equals', 1, 2, false],
    ['Equals', 'a', 'a', true], ['Equals', 'a', 'b', false], ['Equals', true, true, true], ['Equals', true, false, false],
    ['GreaterThan', 0.9, 0.8, true], ['GreaterThan', 0.8, 0.8, false], ['GreaterThan', 'b', 'a', true],
    ['GreaterThanOrEqualTo', 0.8, 0.8, true], ['GreaterThanOrEqualTo', 0.7, 0.8, false],
    ['LessThan', 1, 2, true], ['LessThan', 2, 2, false], ['LessThan', 'B', 'a', true],
    ['LessThanOrEqualTo', 2, 2, true], ['LessThanOrEqualTo', 3, 2, false],
  ] as [string, JsonValue, JsonValue, boolean][])('%s(%j, %j) is %s', (type, l, r, expected) => {
    expect(outcome(cmp(type, l, r))).toBe(expected);
  });

  it('In is membership among values of the same type', () => {
    expect(outcome({ Type: 'In', QueryValue: 'b', Values: ['a', 'b'] })).toBe(true);
    expect(outcome({ Type: 'In', QueryValue: 2, Values: [1, 2.0] })).toBe(true);
    expect(outcome({ Type: 'In', QueryValue: '1', Values: [1, true] })).toBe(false);
    expect(outcome({ Type: 'In', QueryValue: 'c', Values: [] })).toBe(false);
  });

  it('the top-level list is an AND; Or, and Not (SDK "Expression" or "Condition") combine', () => {
    const t = cmp('Equals', 1, 1);
    const f = cmp('Equals', 1, 2);
    expect(outcome()).toBe(true);
    expect(outcome(t, t)).toBe(true);
    expect(outcome(t, f)).toBe(false);
    expect(outcome({ Type: 'Or', Conditions: [f, t] })).toBe(true);
    expect(outcome({ Type: 'Or', Conditions: [f, f] })).toBe(false);
    expect(outcome({ Type: 'Or', Conditions: [] })).toBe(false);
    expect(outcome({ Type: 'Not', Expression: f })).toBe(true);
    expect(outcome({ Type: 'Not', Condition: t })).toBe(false);
    expect(outcome({ Type: 'Not', Expression: { Type: 'Or', Conditions: [f, { Type: 'Not', Expression: t }] } })).toBe(true);
  });

  it('stops at the first deciding condition, as the SDK local mode does', () => {
    expect(outcome(cmp('Equals', 1, 2), cmp('GreaterThan', 'a', 1))).toBe(false);
    expect(outcome({ Type: 'Or', Conditions: [cmp('Equals', 1, 1), cmp('GreaterThan', 'a', 1)] })).toBe(true);
  });

  it('type mismatches are errors naming the condition, its type and both values', () => {
    expect(outcome(cmp('GreaterThanOrEqualTo', '0.9', 0.8))).toBe(
      'Conditions[0] (GreaterThanOrEqualTo) cannot compare LeftValue "0.9" (a string) with RightValue 0.8 (a number); both sides must be numbers or both strings.');
    expect(outcome(cmp('Equals', 1, 1), cmp('Equals', 'true', true))).toBe(
      'Conditions[1] (Equals) cannot compare LeftValue "true" (a string) with RightValue true (a boolean); both sides must be of the same type.');
    expect(outcome(cmp('LessThan', true, false))).toBe(
      'Conditions[0] (LessThan) cannot compare LeftValue true (a boolean) with RightValue false (a boolean); both sides must be numbers or both strings.');
    expect(outcome(cmp('Equals', null, 1))).toBe(
      'Conditions[0] (Equals) cannot compare LeftValue null (null) with RightValue 1 (a number); only strings, numbers and booleans can be compared.');
    expect(outcome({ Type: 'Or', Conditions: [cmp('Equals', 1, 2), cmp('GreaterThan', [1], 0)] })).toBe(
      'Conditions[0].Conditions[1] (GreaterThan) cannot compare LeftValue [1] (an array) with RightValue 0 (a number); only strings, numbers and booleans can be compared.');
    expect(outcome({ Type: 'Not', Expression: cmp('LessThan', 1, 'x') })).toBe(
      'Conditions[0].Expression (LessThan) cannot compare LeftValue 1 (a number) with RightValue "x" (a string); both sides must be numbers or both strings.');
  });

  it('malformed conditions are errors', () => {
    expect(evaluateConditions({} as JsonValue)).toEqual({ ok: false, error: { path: 'Conditions', message: 'Conditions must be an array of conditions.' } });
    expect(outcome({ Type: 'Between', LeftValue: 1, RightValue: 2 })).toBe(
      'Conditions[0] has an unknown condition Type ("Between"); valid types: Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, Not, Or.');
    expect(outcome({ Type: 'Equals', LeftValue: 1 })).toBe('Conditions[0] (Equals) needs "LeftValue" and "RightValue" (RightValue is missing).');
    expect(outcome({ Type: 'In', QueryValue: 1 })).toBe('Conditions[0] (In) needs "Values" (an array).');
    expect(outcome({ Type: 'Not' })).toBe('Conditions[0] (Not) needs "Expression" (the condition to negate).');
    expect(outcome({ Type: 'Or' })).toBe('Conditions[0] (Or) needs "Conditions" (an array of conditions).');
    expect(outcome(3)).toBe('Conditions[0] must be an object with a "Type".');
  });
});

describe('Condition shapes at load time', () => {
  it('malformed conditions are diagnostics, before anything runs', async () => {
    const { diagnose, get } = await import('./definition-helpers.js');
    const { SUPPORTED_STEP_TYPES } = await import('../../steps/executor-registry.js');
    const step = (conditions: JsonValue): Record<string, unknown> => ({
      Steps: [{ Name: 'Check', Type: 'Condition', Arguments: { Conditions: conditions, IfSteps: [], ElseSteps: [] } }],
      Parameters: [{ Name: 'P', Type: 'Integer' }],
    });
    const opts = { supportedStepTypes: SUPPORTED_STEP_TYPES };
    expect(diagnose(step([{ Type: 'Equals', LeftValue: get('Parameters.P'), RightValue: 1 }]), opts)).toEqual([]);
    expect(diagnose(step([
      { Type: 'Between', LeftValue: 1, RightValue: 2 },
      { Type: 'Or', Conditions: [{ Type: 'LessThan', LeftValue: 1 }, { Type: 'Not' }] },
      { Type: 'In', QueryValue: 1, Values: 2 },
    ]), opts)).toEqual([
      'pipeline.json:10:21 Steps[0].Arguments.Conditions[0].Type (step "Check"): unknown condition Type ("Between"); valid types: Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, Not, Or',
      'pipeline.json:17:15 Steps[0].Arguments.Conditions[1].Conditions[0] (step "Check"): LessThan condition needs "RightValue" (the value to compare it with)',
      'pipeline.json:21:15 Steps[0].Arguments.Conditions[1].Conditions[1] (step "Check"): Not condition needs "Expression" (the condition to negate)',
      'pipeline.json:29:23 Steps[0].Arguments.Conditions[2].Values (step "Check"): In condition "Values" must be an array',
    ]);
    expect(diagnose({ Steps: [{ Name: 'C', Type: 'Condition', Arguments: { IfSteps: [] } }] }, opts)).toEqual([
      'pipeline.json:7:20 Steps[0].Arguments (step "C"): Condition step has no "Conditions" (an array of conditions)',
    ]);
  });
});
