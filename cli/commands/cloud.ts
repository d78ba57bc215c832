import { cloudClients, type CloudClients } from '../../cloud/clients.js';
import { cloudRunJson, isExecutionArn, listExecutions, retryExecution, showExecution, stopExecution, type CloudSnapshot } from '../../cloud/cloud-runs.js';
import { watchExecution } from '../../cloud/watch.js';
import { EXIT, parse, UsageError, type Command } from '../command.js';
import { Progress } from '../progress.js';

const usage = `usage: cairn cloud <subcommand> [--region R] [--json]

Pipeline executions on SageMaker (credentials from the standard AWS chain; endpoints from AWS_ENDPOINT_URL*):
  cairn cloud runs <pipeline> [--json]          the executions of a pipeline, newest first
  cairn cloud show <execution-arn> [--json]     an execution's steps; --json as \`cairn show --json\`:
                                                {"runId","status","steps":[{"name","status","reused","attempts","failureReason"?}]}
  cairn cloud watch <execution-arn>             the live step view until the execution ends
  cairn cloud retry <execution-arn> [--wait]    RetryPipelineExecution (a failed execution, in place); --wait watches it
  cairn cloud stop <execution-arn> [--wait]     StopPipelineExecution; --wait until it is Stopped
Exit: 0 done (with --wait or watch: the execution succeeded), 1 it failed or stopped, or watching gave up,
2 invalid input or a request SageMaker refused.`;

const SUBS = new Set(['runs', 'show', 'watch', 'retry', 'stop']);

/** Poll intervals: CAIRN_CLOUD_POLL_MS="first,max" (tests and impatient users); default 2 s doubling to 30 s. */
function pollIntervals(): { intervalMs?: number; maxIntervalMs?: number } {
  const [a, b] = (process.env.CAIRN_CLOUD_POLL_MS ?? '').split(',').map(Number);
  if (a === undefined || !Number.isFinite(a) || a <= 0) return {};
  return { intervalMs: a, maxIntervalMs: b !== undefined && Number.isFinite(b) && b >= a ? b : Math.max(a, 30_000) };
}

export const cloudCommand: Command = {
  name: 'cloud',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, { json: { type: 'boolean' }, wait: { type: 'boolean' }, region: { type: 'string' } }, { min: 1, max: 2 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const [sub, target] = a.positionals;
    if (sub === undefined || !SUBS.has(sub)) throw new UsageError(`unknown subcommand "${sub ?? ''}"\n\n${usage}`);
    if (target === undefined) throw new UsageError(`cairn cloud ${sub} needs ${sub === 'runs' ? 'a pipeline name' : 'an execution ARN'}\n\n${usage}`);
    if (sub !== 'runs' && !isExecutionArn(target)) {
      throw new UsageError(`"${target}" is not a pipeline execution ARN (arn:aws:sagemaker:<region>:<account>:pipeline/<name>/execution/<id>; see \`cairn cloud runs <pipeline>\`)`);
    }
    if (a.values.wait === true && sub !== 'retry' && sub !== 'stop') throw new UsageError(`--wait is for retry and stop\n\n${usage}`);
    const json = a.values.json === true;
    if (json && sub !== 'runs' && sub !== 'show') throw new UsageError(`--json is for runs and show\n\n${usage}`);
    const made = cloudClients(a.values.region === undefined ? {} : { region: a.values.region });
    if (!made.ok) { console.error(made.error); return EXIT.invalid; }
    const clients = made.value;
    try {
      switch (sub) {
        case 'runs': return await runs(clients, target, json);
        case 'show': return await show(clients, target, json);
        case 'watch': return await watchWithProgress(clients, target, false);
        case 'retry': case 'stop': {
          const r = sub === 'retry' ? await retryExecution(clients, target) : await stopExecution(clients, target);
          if (!r.ok) { console.error(r.error); return EXIT.invalid; }
          console.log(`${sub === 'retry' ? 'retrying' : 'stopping'} ${r.value}`);
          return a.values.wait === true ? await watchWithProgress(clients, r.value, sub === 'retry') : EXIT.ok;
        }
        default: return EXIT.invalid;
      }
    } finally {
      clients.destroy();
    }
  },
};

async function runs(clients: CloudClients, pipeline: string, json: boolean): Promise<number> {
  const r = await listExecutions(clients, pipeline);
  if (!r.ok) { console.error(r.error); return EXIT.invalid; }
  if (json) {
    console.log(JSON.stringify(r.value.map((e) => ({ runId: e.arn, pipeline, status: e.status, ...(e.startedAt === undefined ? {} : { startedAt: e.startedAt }) }))));
  } else if (r.value.length === 0) {
    console.log(`pipeline "${pipeline}" has no executions (start one with \`cairn promote … --start\`)`);
  } else {
    console.log(`${'STATUS'.padEnd(11)}${'STARTED'.padEnd(26)}EXECUTION`);
    for (const e of r.value) console.log(`${e.status.padEnd(11)}${(e.startedAt ?? '').padEnd(26)}${e.arn}`);
  }
  return EXIT.ok;
}

async function show(clients: CloudClients, arn: string, json: boolean): Promise<number> {
  const r = await showExecution(clients, arn);
  if (!r.ok) { console.error(r.error); return EXIT.invalid; }
  if (r.value.warning !== undefined) console.error(r.value.warning);
  if (json) console.log(JSON.stringify(cloudRunJson(r.value.snapshot)));
  else for (const line of showText(r.value.snapshot)) console.log(line);
  return EXIT.ok;
}

export function showText(s: CloudSnapshot): string[] {
  const run = cloudRunJson(s);
  const lines = [`execution ${s.arn}  pipeline ${s.pipeline}  ${s.status} (${s.rawStatus})${s.failureReason === undefined ? '' : `: ${s.failureReason}`}`];
  const w = Math.max(4, ...run.steps.map((x) => x.name.length));
  for (const st of run.steps) {
    const state = st.status === 'succeeded' && st.reused ? 'reused (cache hit)' : st.status;
    lines.push(`  ${st.name.padEnd(w)}  ${state.padEnd(20)} attempts ${st.attempts}`);
    if (st.failureReason !== undefined) lines.push(`    ${st.failureReason}`);
  }
  return lines;
}

/** Watches an execution with the live step view until it ends; the exit code follows its final status. */
export async function watchWithProgress(clients: CloudClients, arn: string, resumed: boolean): Promise<number> {
  const progress = new Progress(process.stdout, { logs: false });
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const r = await watchExecution(clients, arn, { signal: ac.signal, onEvent: progress.handle, resumed, ...pollIntervals() });
    if (!r.ok) { console.error(r.error); return EXIT.failed; }
    if (r.value.warning !== undefined) console.error(r.value.warning);
    if (r.value.failureReason !== undefined) console.error(`execution ${r.value.rawStatus}: ${r.value.failureReason}`);
    return r.value.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
