import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Docker integration tests share one engine; files run one at a time so timings stay sane on 2 cores.
    fileParallelism: false,
    reporters: ['default'],
  },
});
