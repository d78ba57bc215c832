/** Step types the SageMaker Python SDK writes. A type outside this list is a typo or an invention. */
export const SDK_STEP_TYPES: readonly string[] = [
  'Processing',
  'Training',
  'Transform',
  'Model',
  'RegisterModel',
  'CreateModel',
  'Condition',
  'Fail',
  'Lambda',
  'Callback',
  'Tuning',
  'QualityCheck',
  'ClarifyCheck',
  'EMR',
  'AutoML',
  'Endpoint',
  'EndpointConfig',
];

export const DEFAULT_SUPPORTED_STEP_TYPES: ReadonlySet<string> = new Set(['Processing', 'Training']);

export function isSdkStepType(type: string): boolean {
  return SDK_STEP_TYPES.includes(type);
}
