import { describe, expect, test } from 'vitest';
import type { JsonValue } from '../../kernel/json.js';
import { diagnose, load, training } from './definition-helpers.js';

const withPolicies = (policies: JsonValue): Record<string, unknown> => ({ Steps: [training('T', {}, { RetryPolicies: policies })] });
/** Diagnostics without file positions (the positions are checked once below). */
const messages = (policies: JsonValue): string[] => diagnose(withPolicies(policies)).map((d) => d.replace(/^pipeline\.json:\d+:\d+ /, ''));

describe('RetryPolicies in the loader', () => {
  test('fills in SageMaker defaults', () => {
    const def = load(withPolicies([
      { ExceptionType: ['SageMaker.JOB_INTERNAL_ERROR', 'SageMaker.CAPACITY_ERROR'] },
      { ExceptionType: ['Step.SERVICE_FAULT', 'Step.THROTTLING'], IntervalSeconds: 10, BackoffRate: 1.5, ExpireAfterMin: 5 },
      { ExceptionType: ['SageMaker.RESOURCE_LIMIT', 'SageMaker.JOB_CAPACITY_ERROR'], IntervalSeconds: 0, BackoffRate: 0, MaxAttempts: 0 },
    ]));
    expect(def.steps[0]?.retryPolicies).toEqual([
      { exceptionTypes: ['SageMaker.JOB_INTERNAL_ERROR', 'SageMaker.CAPACITY_ERROR'], intervalSeconds: 1, backoffRate: 2, maxAttempts: 5 },
      { exceptionTypes: ['Step.SERVICE_FAULT', 'Step.THROTTLING'], intervalSeconds: 10, backoffRate: 1.5, expireAfterMin: 5 },
      { exceptionTypes: ['SageMaker.RESOURCE_LIMIT', 'SageMaker.CAPACITY_ERROR'], intervalSeconds: 0, backoffRate: 0, maxAttempts: 0 },
    ]);
  });

  test('points at the offending value', () => {
    expect(diagnose(withPolicies([{ ExceptionType: ['SageMaker.JOB_INTERNAL_ERRORS'], MaxAttempts: 3 }]))).toEqual([
      'pipeline.json:15:13 Steps[0].RetryPolicies[0].ExceptionType[0] (step "T"): unknown exception type "SageMaker.JOB_INTERNAL_ERRORS" (did you mean "SageMaker.JOB_INTERNAL_ERROR"?) ' +
        "(SageMaker's exception types: Step.SERVICE_FAULT, Step.THROTTLING, SageMaker.JOB_INTERNAL_ERROR, SageMaker.CAPACITY_ERROR, SageMaker.RESOURCE_LIMIT)",
    ]);
  });

  test('exact messages', () => {
    const types = 'Step.SERVICE_FAULT, Step.THROTTLING, SageMaker.JOB_INTERNAL_ERROR, SageMaker.CAPACITY_ERROR, SageMaker.RESOURCE_LIMIT';
    expect(messages({ ExceptionType: ['Step.THROTTLING'] })).toEqual([
      'Steps[0].RetryPolicies (step "T"): "RetryPolicies" must be an array of retry policies',
    ]);
    expect(messages(['Step.THROTTLING'])).toEqual([
      'Steps[0].RetryPolicies[0] (step "T"): a retry policy must be an object like {"ExceptionType": ["SageMaker.JOB_INTERNAL_ERROR"], "MaxAttempts": 3}',
    ]);
    expect(messages([{ MaxAttempts: 3 }, { ExceptionType: [] }, { ExceptionType: 'Step.THROTTLING' }])).toEqual([
      `Steps[0].RetryPolicies[0].ExceptionType (step "T"): a retry policy needs "ExceptionType": a non-empty array of exception types (${types})`,
      `Steps[0].RetryPolicies[1].ExceptionType (step "T"): "ExceptionType" must be a non-empty array of exception types (${types})`,
      `Steps[0].RetryPolicies[2].ExceptionType (step "T"): "ExceptionType" must be a non-empty array of exception types (${types})`,
    ]);
    expect(messages([{ ExceptionType: [42] }])).toEqual([
      `Steps[0].RetryPolicies[0].ExceptionType[0] (step "T"): unknown exception type 42 (SageMaker's exception types: ${types})`,
    ]);
    expect(messages([{ ExceptionType: ['Step.THROTTLING'], IntervalSeconds: 43_201, BackoffRate: -1, MaxAttempts: 21 }])).toEqual([
      'Steps[0].RetryPolicies[0].IntervalSeconds (step "T"): IntervalSeconds must be a whole number of seconds from 0 to 43200 (12 hours); it is 43201',
      "Steps[0].RetryPolicies[0].BackoffRate (step \"T\"): BackoffRate must be a number of at least 0 (the interval's multiplier after each retry); it is -1",
      'Steps[0].RetryPolicies[0].MaxAttempts (step "T"): MaxAttempts must be a whole number of retries from 0 to 20; it is 21',
    ]);
    expect(messages([{ ExceptionType: ['Step.THROTTLING'], IntervalSeconds: 1.5, BackoffRate: '2', ExpireAfterMin: 14_401 }])).toEqual([
      'Steps[0].RetryPolicies[0].IntervalSeconds (step "T"): IntervalSeconds must be a whole number of seconds from 0 to 43200 (12 hours); it is 1.5',
      "Steps[0].RetryPolicies[0].BackoffRate (step \"T\"): BackoffRate must be a number of at least 0 (the interval's multiplier after each retry); it is \"2\"",
      'Steps[0].RetryPolicies[0].ExpireAfterMin (step "T"): ExpireAfterMin must be a whole number of minutes from 0 to 14400 (10 days); it is 14401',
    ]);
    expect(messages([{ ExceptionType: ['Step.THROTTLING'], MaxAttempts: 2, ExpireAfterMin: 5 }])).toEqual([
      'Steps[0].RetryPolicies[0] (step "T"): a retry policy takes "MaxAttempts" or "ExpireAfterMin", not both',
    ]);
    expect(messages([{ ExceptionType: ['Step.THROTTLING'], MaxAttempt: 2 }])).toEqual([
      'Steps[0].RetryPolicies[0].MaxAttempt (step "T"): unknown retry policy field "MaxAttempt" (did you mean "MaxAttempts"?) ' +
        '(fields: ExceptionType, IntervalSeconds, BackoffRate, MaxAttempts, ExpireAfterMin)',
    ]);
    expect(messages([{ ExceptionType: ['Step.THROTTLING'], MaxAttempts: { Get: 'Parameters.Retries' } }])).toEqual([
      'Steps[0].RetryPolicies[0].MaxAttempts (step "T"): MaxAttempts must be a whole number of retries from 0 to 20; it is {"Get":"Parameters.Retries"}',
    ]);
  });
});
