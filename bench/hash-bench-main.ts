import { runHashBench } from './hash-bench.js';

/** `npx tsc -p tsconfig.json && node dist/bench/hash-bench-main.js [MiB]` */
const mib = Number(process.argv[2] ?? 1024);
const figures = await runHashBench({ totalBytes: mib * 1024 * 1024 });
for (const f of figures) {
  const mark = f.target === 'info' ? ' ' : f.ok ? '✓' : '✗';
  console.log(`${mark} ${f.name}: ${f.value} ${f.unit}${f.target === 'info' ? '' : ` (target ${f.target})`}`);
}
process.exitCode = figures.every((f) => f.ok) ? 0 : 1;
