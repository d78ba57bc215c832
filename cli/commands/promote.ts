import { cloudClients } from '../../cloud/clients.js';
import { promote, type PromoteReport } from '../../cloud/promote.js';
import { loadImageMap } from '../../containers/image-map.js';
import { resolveHome } from '../../contracts/home.js';
import { checkSelection } from '../../engine/run/selective.js';
import { parseParamArgs } from '../../engine/definition/parameters.js';
import { watchWithProgress } from './cloud.js';
import { EXIT, parse, type Command } from '../command.js';
import { readPipelineRequest } from '../pipeline-request.js';

const usage = `usage: cairn promote <pipeline> --bucket B --role-arn R [--region REGION] [--name N] [--param Name=Value]...
                     [--start [--wait] [--steps A,B [--from-execution ARN]]] [--dry-run] [--json]

Runs the same definition on SageMaker. What only exists locally (s3:// URIs whose data is in the local store, and
file:// URIs) is uploaded to the bucket under content-addressed keys (cairn/<sha256>/<file name>, or
cairn/<tree hash>/... for a prefix; what the bucket already holds is not uploaded again) and the definition is
rewritten to point there; URIs that steps write to are left as they are. Local stand-in images (cairn-local/...)
are replaced by the official image for the region. Then the pipeline is created, or updated when it exists.
  --start     start an execution with the --param values (the definition's defaults apply to the rest)
  --wait      with --start: watch the execution with the same live step view as a local run; exit 0/1 by its status
  --steps     with --start: selective execution of these steps only (comma-separated or repeated); they must be
              connected, and every step on a path between two of them must be selected, as SageMaker requires
  --from-execution ARN
              with --steps: the reference execution whose upstream results are reused (SageMaker's default: the
              pipeline's latest execution)
  --dry-run   print the exact definition and the upload plan; changes nothing (only reads the bucket and pipeline)
  --json      print a JSON report instead of text
Credentials come from the standard AWS chain (environment, profiles, SSO …); the region from --region or
AWS_REGION; endpoints from AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL_SAGEMAKER.`;

const OPTIONS = {
  bucket: { type: 'string' }, 'role-arn': { type: 'string' }, region: { type: 'string' }, name: { type: 'string' },
  param: { type: 'string', multiple: true }, start: { type: 'boolean' }, wait: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' },
  steps: { type: 'string', multiple: true }, 'from-execution': { type: 'string' },
} as const;

export const promoteCommand: Command = {
  name: 'promote',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, OPTIONS, { min: 1, max: 1 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const v = a.values;
    const missing = (['bucket', 'role-arn'] as const).filter((k) => v[k] === undefined || v[k].trim() === '');
    if (missing.length > 0) {
      console.error(`cairn promote needs ${missing.map((k) => `--${k}`).join(' and ')}.\n\n${usage}`);
      return EXIT.invalid;
    }
    if (v.wait === true && v.start !== true) {
      console.error('--wait needs --start: it watches the execution that promote starts (use `cairn cloud watch <arn>` for others).');
      return EXIT.invalid;
    }
    if (v['dry-run'] === true && v.start === true) {
      console.error('--dry-run and --start cannot be combined: a dry run starts nothing.');
      return EXIT.invalid;
    }
    const usageProblem = selectionUsage(v);
    if (usageProblem !== undefined) { console.error(usageProblem); return EXIT.invalid; }
    const req = await readPipelineRequest(a.positionals[0]!, { param: v.param, name: v.name });
    if (!req.ok) { for (const l of req.error) console.error(l); return EXIT.invalid; }
    let selective: { steps: string[]; fromExecution?: string } | undefined;
    if (v.steps !== undefined) {
      const checked = checkSelection(req.value.loaded.definition, v.steps.flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== ''));
      if (!checked.ok) { for (const l of checked.error) console.error(l); return EXIT.invalid; }
      const fromExecution = v['from-execution'];
      selective = { steps: checked.value.ordered, ...(fromExecution === undefined ? {} : { fromExecution }) };
    }
    const given = parseParamArgs(v.param ?? []);
    if (!given.ok) { for (const l of given.error) console.error(l); return EXIT.invalid; }
    const map = await loadImageMap(process.cwd());
    if (!map.ok) { console.error(map.error); return EXIT.invalid; }
    const clients = cloudClients(v.region !== undefined ? { region: v.region } : {});
    if (!clients.ok) { console.error(clients.error); return EXIT.invalid; }
    try {
      const r = await promote(clients.value, {
        text: req.value.loaded.text, name: req.value.loaded.name, home: resolveHome().root, imageMap: map.value,
        bucket: v.bucket!, roleArn: v['role-arn']!, parameters: given.value,
        start: v.start === true, ...(selective === undefined ? {} : { selective }), dryRun: v['dry-run'] === true, quiet: v.json === true,
      });
      if (!r.ok) {
        console.error(r.error.message);
        return r.error.kind === 'invalid' ? EXIT.invalid : EXIT.failed;
      }
      if (v.json === true) console.log(JSON.stringify({ ...r.value, definition: JSON.parse(r.value.definition) as unknown }, null, 2));
      else printReport(r.value);
      if (v.wait === true && r.value.executionArn !== undefined) return await watchWithProgress(clients.value, r.value.executionArn, false);
      return EXIT.ok;
    } finally {
      clients.value.destroy();
    }
  },
};

function selectionUsage(v: { start?: boolean; steps?: string[]; 'from-execution'?: string }): string | undefined {
  if (v.steps !== undefined && v.start !== true) return '--steps needs --start: it selects the steps of the execution that promote starts.';
  if (v['from-execution'] !== undefined && v.steps === undefined) {
    return '--from-execution names the reference execution of a selective execution; give the steps to run with --steps too.';
  }
  return undefined;
}

function printReport(r: PromoteReport): void {
  if (r.dryRun) {
    console.log(`Dry run: nothing was uploaded, created or started. The definition that would be sent as pipeline ${r.pipeline} (${r.region}):`);
    console.log(JSON.stringify(JSON.parse(r.definition), null, 2));
  }
  const fresh = r.uploads.filter((u) => u.status === 'new').length;
  console.log(`\nUpload plan for s3://${r.bucket}: ${r.uploads.length} object(s), ${fresh} new, ${r.uploads.length - fresh} already there`);
  for (const u of r.uploads) {
    console.log(`  ${u.status === 'new' ? (r.dryRun ? 'new    ' : 'uploaded') : 'present '} ${u.localPath} → ${u.uri}  (from ${u.source})`);
  }
  for (const i of r.images) console.log(`image ${i.from} → ${i.to}`);
  const verb = r.dryRun ? (r.action === 'create' ? 'would be created' : 'would be updated') : (r.action === 'create' ? 'created' : 'updated');
  console.log(`pipeline ${r.pipeline} ${verb}${r.pipelineArn !== undefined ? `: ${r.pipelineArn}` : ''}`);
  if (r.executionArn !== undefined) {
    const params = r.parameters.map((p) => `${p.Name}=${p.Value}`).join(' ');
    console.log(`execution started: ${r.executionArn}${params !== '' ? ` (${params})` : ''}`);
  }
}

