import { existsSync } from 'node:fs';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { Store } from '../../cache/store.js';
import { cloudClients } from '../../cloud/clients.js';
import { pull, type PullReport, type PullSource } from '../../cloud/pull.js';
import type { FetchProblem } from '../../cloud/pull-fetch.js';
import { resolveHome } from '../../contracts/home.js';
import { EXIT, parse, type Command } from '../command.js';
import { ObjectProgress } from '../object-progress.js';
import { failureSentence } from '../render-failure.js';

const usage = `usage: cairn pull <definition.json | pipeline-name> [--region R] [--name N] [--out FILE] [--dry-run] [--json] [--home H]

Fetches from S3 into the local store every s3:// object and prefix the definition names (processing inputs, code and
runproc scripts, training channels, sourcedir.tar.gz, model data, transform inputs), so that \`cairn run\` finds them.
A pipeline name (no "." or "/", and no such file) is fetched from SageMaker first (DescribePipeline) and written to
--out (default ./<name>.json); its name is recorded, and \`cairn run\`/\`plan\` use it as --name for that file.
Objects the store already holds with the same ETag and size are not fetched again; a pull that stopped part-way
continues where it was. Values known only at run time (step properties, parameters without a default) are listed,
not guessed; parameters with a default resolve to it.
  --name N    record N as the pipeline name of a local definition file
  --out FILE  where a pipeline fetched by name is written
  --dry-run   list what would be fetched; changes nothing
  --json      print a JSON report
  --home H    the cairn home (default $CAIRN_HOME, else ./.cairn)
Credentials come from the standard AWS chain and are never stored; the region from --region or AWS_REGION.
Exit codes: 0 done, 1 an object could not be fetched, 2 invalid input.`;

const OPTIONS = {
  region: { type: 'string' }, name: { type: 'string' }, out: { type: 'string' }, 'dry-run': { type: 'boolean' },
  json: { type: 'boolean' }, home: { type: 'string' },
} as const;

/** Version of the `--json` report. */
export const PULL_REPORT_VERSION = 1;

export const pullCommand: Command = {
  name: 'pull',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, OPTIONS, { min: 1, max: 1 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const v = a.values;
    const arg = a.positionals[0]!;
    const isFile = existsSync(arg) || /[./\\]/.test(arg);
    if (!isFile && v.name !== undefined) { console.error('--name is for a local definition file; a pipeline fetched by name keeps its own.'); return EXIT.invalid; }
    if (isFile && v.out !== undefined) { console.error('--out is for a pipeline fetched by name; a local definition file stays where it is.'); return EXIT.invalid; }
    const source: PullSource = isFile
      ? { kind: 'file', path: arg, ...(v.name !== undefined ? { name: v.name } : {}) }
      : { kind: 'pipeline', name: arg, out: v.out ?? `${arg}.json` };
    const clients = cloudClients(v.region !== undefined ? { region: v.region } : {});
    if (!clients.ok) { console.error(clients.error); return EXIT.invalid; }
    const home = resolveHome(v.home === undefined ? process.env : { ...process.env, CAIRN_HOME: v.home });
    const store = Store.open(home.db);
    const hashCache = { get: (p: string) => store.getFileHash(p), put: store.putFileHash.bind(store) };
    const progress = v.json === true ? undefined : new ObjectProgress(process.stderr);
    try {
      const sink = { home: home.root, db: store.db, artifacts: new LocalArtifactStore(home.root, hashCache), hashCache };
      const r = await pull(clients.value, sink, source, {
        dryRun: v['dry-run'] === true,
        ...(progress !== undefined ? { listener: { planned: (o) => progress.planned(o), bytes: (n) => progress.bytes(n), fetched: () => progress.fetched() } } : {}),
      });
      progress?.finish();
      if (!r.ok) { console.error(r.error.message); return r.error.kind === 'invalid' ? EXIT.invalid : EXIT.failed; }
      if (v.json === true) console.log(JSON.stringify(jsonReport(r.value)));
      else for (const l of pullText(r.value)) console.log(l);
      return r.value.problems.length > 0 ? EXIT.failed : EXIT.ok;
    } finally {
      store.close();
      clients.value.destroy();
    }
  },
};

function jsonReport(r: PullReport): Record<string, unknown> {
  return {
    version: PULL_REPORT_VERSION, definitionFile: r.definitionFile, pipeline: r.pipeline ?? null, region: r.region, dryRun: r.dryRun,
    objects: r.objects.map((o) => ({ uri: o.uri, size: o.size, etag: o.etag, state: o.state, fetched: !r.dryRun && o.state !== 'present' && !failed(r, o.uri), step: o.step, path: o.path })),
    notFound: r.notFound, runtime: r.runtime, defaulted: r.defaulted, fetchedBytes: r.fetchedBytes,
    problems: r.problems.map((p) => ({ uri: p.uri, message: problemText(p) })),
  };
}

function failed(r: PullReport, uri: string): boolean {
  return r.problems.some((p) => p.uri === uri);
}

export function pullText(r: PullReport): string[] {
  const lines: string[] = [];
  const todo = r.objects.filter((o) => o.state !== 'present');
  const bytes = todo.reduce((n, o) => n + o.size, 0);
  const named = r.pipeline !== undefined ? ` (pipeline ${r.pipeline})` : '';
  if (r.dryRun) lines.push(`Dry run: nothing was fetched or recorded. ${r.definitionFile}${named} names ${r.objects.length} object(s) in S3 (${r.region}):`);
  else lines.push(`${r.definitionFile}${named}: ${r.objects.length} object(s) named, ${todo.length - r.problems.length} fetched (${bytes} bytes), ${r.objects.length - todo.length} already in the store`);
  for (const o of r.objects) {
    const verb = o.state === 'present' ? 'present ' : failed(r, o.uri) ? 'FAILED  ' : r.dryRun ? (o.state === 'new' ? 'new     ' : 'changed ') : 'fetched ';
    lines.push(`  ${verb} ${o.uri}  ${o.size} bytes  (step ${o.step}, ${o.path})`);
  }
  for (const d of r.defaulted) lines.push(`parameter ${d.name} has no value here: its default "${d.value}" was used`);
  for (const n of r.notFound) lines.push(`not in S3: ${n.uri} (step ${n.step}, ${n.path}): nothing was fetched for it`);
  if (r.runtime.length > 0) lines.push(`${r.runtime.length} value(s) are known only at run time and were not fetched:`);
  for (const x of r.runtime) lines.push(`  step ${x.step}, ${x.path}: ${x.expression}: ${x.why}`);
  for (const p of r.problems) lines.push(`could not fetch ${p.uri}: ${problemText(p)}`);
  if (!r.dryRun && r.pipeline !== undefined) lines.push(`recorded: cairn run ${r.definitionFile} uses the pipeline name ${r.pipeline}`);
  return lines;
}

function problemText(p: FetchProblem): string {
  return p.kind === 's3' ? p.message : failureSentence({ name: p.uri, type: 'Pull' }, p.failure);
}
