import { defineConfig } from 'vitest/config';

/**
 * Which project a test file belongs to, by path (test/check-projects.test.ts checks that every *.test.ts file is in
 * exactly one project and that every entry here matches a file):
 * - `compat`: test/compat/, the real-world definitions kept outside this repository (`npm run test:compat -- <dir>`);
 * - `chaos`: test/chaos/, kill -9 (strace fault injection), corruption, a full disk, hostile jobs and definitions on a
 *   real Docker engine, each ending with `cairn doctor` clean (`npm run test:chaos`; root, strace and mount needed);
 * - `docker`: the files below, which run containers (or the CLI running jobs) on a real Docker engine;
 * - `cloud`: test/cloud/ except what needs Docker: real AWS SDK clients against moto (and a loopback fake SageMaker),
 *   started by the tests; no Docker engine; and test/ui/: `cairn ui`'s server on loopback, in process;
 * - `unit`: every other test file: in-process, no server, no engine; it runs with DOCKER_HOST pointing at a socket that
 *   does not exist, so a test that needs the engine fails there instead of quietly using it.
 */
export const COMPAT_TESTS = ['test/compat/**/*.test.ts'];
export const CLOUD_TESTS = ['test/cloud/**/*.test.ts', 'test/sagemaker-sdk/**/*.test.ts', 'test/s3-endpoint/**/*.test.ts', 'test/ui/**/*.test.ts'];
export const CHAOS_TESTS = ['test/chaos/**/*.test.ts'];
export const DOCKER_TESTS = [
  'test/e2e/**/*.test.ts',
  'test/package/**/*.test.ts',
  'test/cloud/round-trip.test.ts',
  'test/containers/docker-engine-lite.test.ts',
  'test/containers/docker-image-resolver.test.ts',
  'test/containers/docker-internal-network.test.ts',
  'test/containers/docker-networks.test.ts',
  'test/containers/docker-runtime.test.ts',
  'test/containers/tensorflow-images.test.ts',
  'test/sagemaker-sdk/multi-instance.test.ts',
  'test/sdk/cli-modules.test.ts',
  'test/sagemaker-sdk/s3-in-containers.test.ts',
  'test/steps/processing.test.ts',
  'test/steps/serve-check-docker.test.ts',
  'test/steps/script-mode-oracle.test.ts',
  'test/steps/script-mode-requirements.test.ts',
  'test/steps/training.test.ts',
  'test/steps/transform.test.ts',
  'test/steps/transform-unsplit.test.ts',
];
export const NO_DOCKER_HOST = 'unix:///nonexistent/cairn-unit-tests-use-no-docker.sock';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Docker integration tests share one engine; files run one at a time so timings stay sane on 2 cores.
    fileParallelism: false,
    reporters: ['default'],
    // ECR sign-in uses the standard AWS credential chain; tests (and the CLIs they spawn) must never fall through to
    // the EC2 instance metadata service, which is not on this machine's loopback.
    env: { AWS_EC2_METADATA_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...COMPAT_TESTS, ...DOCKER_TESTS, ...CLOUD_TESTS, ...CHAOS_TESTS],
          env: { AWS_EC2_METADATA_DISABLED: 'true', DOCKER_HOST: NO_DOCKER_HOST },
          // No engine to share: two files at a time (the cloud tests mostly wait on moto and the CLIs they spawn).
          fileParallelism: true,
          maxWorkers: 2,
          // Projects run one after the other (unit, then docker), never side by side.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'cloud', include: CLOUD_TESTS, exclude: DOCKER_TESTS,
          env: { AWS_EC2_METADATA_DISABLED: 'true', DOCKER_HOST: NO_DOCKER_HOST },
          // Each file starts its own moto server on a free loopback port: two files at a time.
          fileParallelism: true, maxWorkers: 2, sequence: { groupOrder: 1 },
        },
      },
      { extends: true, test: { name: 'docker', include: DOCKER_TESTS, sequence: { groupOrder: 2 } } },
      { extends: true, test: { name: 'compat', include: COMPAT_TESTS, sequence: { groupOrder: 3 } } },
      // Bounded to ~10 minutes on 2 cores: files one at a time, each trial a few CLI runs on the real engine.
      { extends: true, test: { name: 'chaos', include: CHAOS_TESTS, testTimeout: 300_000, sequence: { groupOrder: 4 } } },
    ],
  },
});
