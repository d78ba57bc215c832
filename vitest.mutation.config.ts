import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run test:mutation` (Stryker) runs against each mutant: pure unit tests only (no Docker, no spawned
 * CLI, no dist/), so that a full mutation run stays affordable on 2 cores.
 */
export default defineConfig({
  test: {
    include: [
      'test/engine/condition.test.ts',
      'test/engine/condition-in.test.ts',
      'test/engine/expressions.test.ts',
      'test/engine/expressions-edges.test.ts',
      'test/engine/json-get-path.test.ts',
      'test/engine/json-get-path-edges.test.ts',
      'test/engine/property-path.test.ts',
      'test/engine/property-path-edges.test.ts',
      'test/engine/property-files.test.ts',
      'test/engine/parameters.test.ts',
      'test/engine/retry-policy.test.ts',
      'test/engine/retry-policy-diagnostics.test.ts',
      'test/engine/retry-policy-bounds.test.ts',
      'test/engine/graph.test.ts',
      'test/engine/load-definition.test.ts',
      'test/engine/definition-diagnostics.test.ts',
      'test/engine/selective.test.ts',
      'test/engine/plan-run-agree.test.ts',
      'test/engine/cache-decision.test.ts',
      'test/engine/control-steps.test.ts',
      'test/cache/run-lock.test.ts',
      'test/cache/fingerprint.test.ts',
      'test/cache/run-lock-owner.test.ts',
      'test/registry/registry.test.ts',
      'test/registry/registry-keys.test.ts',
      'test/registry/registry-sentences.test.ts',
      'test/registry/current-user.test.ts',
      'test/registry/package-request.test.ts',
    ],
    testTimeout: 30_000,
    env: { AWS_EC2_METADATA_DISABLED: 'true' },
  },
});
