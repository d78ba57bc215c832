import { describe, expect, it } from 'vitest';
import { evaluateCondition } from '../../engine/definition/condition.js';

describe('In conditions (mutation testing: these mutants survived)', () => {
  it('is membership of the same type and value; another type is not a member', () => {
    expect(evaluateCondition({ Type: 'In', QueryValue: 'b', Values: ['a', 'b'] }, 'C')).toEqual({ ok: true, value: true });
    expect(evaluateCondition({ Type: 'In', QueryValue: 'c', Values: ['a', 'b'] }, 'C')).toEqual({ ok: true, value: false });
    expect(evaluateCondition({ Type: 'In', QueryValue: 1, Values: ['1', true] }, 'C')).toEqual({ ok: true, value: false });
    expect(evaluateCondition({ Type: 'In', QueryValue: 1, Values: [2, 1] }, 'C')).toEqual({ ok: true, value: true });
  });

  it('refuses a missing QueryValue and one that is not a string, number or boolean, in a sentence', () => {
    expect(evaluateCondition({ Type: 'In', Values: [1] }, 'C')).toEqual({ ok: false, error: { path: 'C (In)', message: 'C (In) needs "QueryValue".' } });
    expect(evaluateCondition({ Type: 'In', QueryValue: { a: 1 }, Values: [1] }, 'C')).toEqual({ ok: false, error: {
      path: 'C (In)', message: 'C (In) has a QueryValue that is an object; it must be a string, number or boolean.' } });
    expect(evaluateCondition({ Type: 'In', QueryValue: null, Values: [null] }, 'C').ok).toBe(false);
  });

  it('a comparison with a non-primitive right side, and a long value, are shown in the sentence', () => {
    const long = 'x'.repeat(70);
    expect(evaluateCondition({ Type: 'Equals', LeftValue: 1, RightValue: [long] }, 'C')).toEqual({ ok: false, error: {
      path: 'C (Equals)', message: `C (Equals) cannot compare LeftValue 1 (a number) with RightValue ["${'x'.repeat(55)}... (an array); only strings, numbers and booleans can be compared.` } });
    expect(evaluateCondition({ Type: 7 }, 'C')).toEqual({ ok: false, error: {
      path: 'C', message: 'C has an unknown condition Type (missing); valid types: Equals, GreaterThan, GreaterThanOrEqualTo, LessThan, LessThanOrEqualTo, In, Not, Or.' } });
  });
});
