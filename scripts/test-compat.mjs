// The compatibility suite (test/compat/): real SageMaker pipeline definitions kept outside this repository.
// Usage: npm run test:compat -- [<dir>] [vitest options]
//   <dir>: a folder of definition JSON files; default ../shared/compat/sagemaker-definitions beside the clone.
// Builds dist/ (the suite runs the CLI), then runs the vitest project `compat` with CAIRN_COMPAT_DIR=<dir>.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
// <dir> comes first, so that vitest options may take their values after a space (`--reporter json`).
const given = args[0] !== undefined && !args[0].startsWith('-') ? args.shift() : undefined;
const fallback = resolve(root, '../shared/compat/sagemaker-definitions');
// npm runs scripts in the package folder; a relative <dir> means relative to where npm was called.
const dir = given === undefined ? fallback : resolve(process.env.INIT_CWD ?? process.cwd(), given);

function refuse(message) {
  console.error(`test:compat: ${message}`);
  console.error('usage: npm run test:compat -- <dir>   (a folder of SageMaker pipeline definition JSON files)');
  process.exit(2);
}
if (given === undefined && !existsSync(fallback)) {
  refuse(`no corpus folder given, and the default ${fallback} does not exist`);
}
if (!existsSync(dir) || !statSync(dir).isDirectory()) refuse(`${dir} is not a folder`);
if (!readdirSync(dir).some((f) => f.endsWith('.json'))) refuse(`${dir} holds no .json definition file`);

const run = (cmd, cmdArgs, env = process.env) => spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env }).status ?? 1;
const built = run('npm', ['run', 'build']);
if (built !== 0) process.exit(built);
console.log(`test:compat: corpus ${dir}`);
process.exit(run(process.execPath, [resolve(root, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'compat', ...args], {
  ...process.env, CAIRN_COMPAT_DIR: dir,
}));
