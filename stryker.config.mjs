// Mutation testing (`npm run test:mutation`, issue 16): mutates the modules where a silent mistake costs users most and
// runs the pure unit tests (vitest.mutation.config.ts) against each mutant. Incremental: a rerun only tests mutants whose
// code or covering tests changed since reports/stryker-incremental.json. Report: reports/mutation/mutation.html + .json.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'cache/fingerprint.ts',
    'engine/definition/expressions.ts',
    'engine/definition/json-get-path.ts',
    'engine/definition/property-path.ts',
    'engine/definition/condition.ts',
    'engine/definition/read-retry-policies.ts',
    'engine/run/selective.ts',
    'cache/run-lock.ts',
    'registry/registry.ts',
    'registry/request.ts',
    // The one cache decision (issue 9).
    'engine/run/cache-decision.ts',
    // Retry classification reads the failure's typed fields (engine/run/exception-types.ts).
    'engine/run/exception-types.ts',
    'engine/run/retry-policy.ts',
  ],
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  concurrency: 2,
  timeoutMS: 20_000,
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
