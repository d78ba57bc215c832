import { formatFigure } from './bench-figure.js';
import { runHashBench } from './hash-bench.js';

/** `npx tsc -p tsconfig.json && node dist/bench/hash-bench-main.js [MiB]` */
const mib = Number(process.argv[2] ?? 1024);
const figures = await runHashBench({ totalBytes: mib * 1024 * 1024 });
for (const f of figures) console.log(formatFigure(f));
process.exitCode = figures.every((f) => f.ok) ? 0 : 1;
