/**
 * cairn's import rules (../shared/architecture.md): each layer imports only downward. `npm run lint` runs this.
 * Layers, lowest first: kernel → contracts → cache, containers → registry → engine/definition → steps, engine/run,
 * engine/reports → sdk, cloud, ui → cli, bench. Tests may import anything; no source imports a test.
 */
const src = '^(kernel|contracts|cache|containers|registry|engine|steps|sdk|cloud|ui|cli|bench|examples)/';
const only = (name, from, allowed, comment) => ({
  name, comment, severity: 'error',
  from: { path: from },
  to: { path: src, pathNot: allowed },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import loops.', from: {}, to: { circular: true } },
    only('kernel-imports-nothing', '^kernel/', '^kernel/', 'The kernel imports nothing of cairn.'),
    only('contracts-import-kernel', '^contracts/', '^(kernel|contracts)/', 'Contracts import only the kernel.'),
    only('cache-below-engine', '^cache/', '^(kernel|contracts|cache)/', 'cache/ imports neither engine/, steps/, containers/ nor cli/.'),
    only('containers-below-engine', '^containers/', '^(kernel|contracts|containers)/', 'containers/ imports neither engine/, steps/, cache/ nor cli/.'),
    only('registry-over-cache', '^registry/', '^(kernel|contracts|cache|registry)/', 'The registry sits on the store only.'),
    only('definition-loads-alone', '^engine/definition/', '^(kernel|contracts|engine/definition)/', 'Loading a definition needs no store, engine or executor.'),
    only('steps-below-run', '^steps/', '^(kernel|contracts|cache|containers|registry|engine/definition|steps)/', 'steps/ imports neither the run part of engine/ nor cli/.'),
    only('engine-without-steps', '^engine/(run|reports)/', '^(kernel|contracts|cache|containers|registry|engine)/', 'engine/ never imports steps/ or cli/: executors are handed in.'),
    only('sdk-no-cli', '^sdk/', '^(kernel|contracts|containers|sdk)/', 'sdk/ imports no cli/ (and nothing that runs).'),
    only('cloud-no-cli', '^cloud/', '^(kernel|contracts|cache|containers|registry|engine|cloud)/', 'cloud/ imports no cli/.'),
    only('ui-no-cli', '^ui/', '^(kernel|contracts|cache|containers|registry|engine|ui)/', 'ui/ imports no cli/.'),
    {
      name: 'no-source-imports-test', severity: 'error', comment: 'No source imports test/.',
      from: { path: src }, to: { path: '^test/' },
    },
    {
      name: 'docker-runtime-at-the-top', severity: 'error',
      comment: 'Only cli/, bench/ and tests construct the Docker runtime; everything else gets a ContainerRuntime.',
      from: { path: src, pathNot: '^(cli|bench|containers)/' }, to: { path: '^containers/docker-(runtime|service)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
  },
};
