import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Docker integration tests share one engine; files run one at a time so timings stay sane on 2 cores.
    fileParallelism: false,
    reporters: ['default'],
    // ECR sign-in uses the standard AWS credential chain; tests (and the CLIs they spawn) must never fall through to
    // the EC2 instance metadata service, which is not on this machine's loopback.
    env: { AWS_EC2_METADATA_DISABLED: 'true' },
  },
});
