// Fails when a TypeScript source file grows past the project's size limit (one concept per file, ~300 lines).
// Generated tables are exempt by name. Usage: node scripts/check-file-size.mjs [limit]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const limit = Number(process.argv[2] ?? 320);
const generated = new Set(['containers/tensorflow-image-config.ts']);
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts'], { encoding: 'utf8' })
  .split('\n').filter((f) => f !== '' && !generated.has(f));
const over = [];
for (const f of files) {
  let lines;
  try { lines = readFileSync(f, 'utf8').split('\n').length; } catch { continue; }
  if (lines > limit) over.push(`${f}: ${lines} lines (limit ${limit}; split it into files of one concept each)`);
}
if (over.length > 0) { console.error(over.join('\n')); process.exit(1); }
console.log(`file size: ${files.length} files, none over ${limit} lines`);
