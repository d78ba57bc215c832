import pino from 'pino';
import type { Fingerprint } from '../../contracts/fingerprint.js';
import { buildFingerprint, diffFingerprints } from '../../cache/fingerprint.js';
import type { RunOptions, RunRecord } from '../../contracts/records.js';
import { annotateBranches } from './branches.js';
import type { PlannedStep } from './planned-step.js';
import { planControlStep } from './control-steps.js';
import { executionVariables } from '../definition/execution-vars.js';
import { downstreamOf, topologicalOrder } from '../definition/graph.js';
import type { Definition, ParameterValue } from '../../contracts/definition.js';
import type { RunContext, Services } from './run-context.js';
import { planSelectiveStep } from './selective.js';
import { checkImages } from './step-images.js';
import { resolveArguments, stepContext, upstreamOutputs } from './step-runner.js';

/** A dry run: validates, resolves, and says per step "reuse" or "run" and why. Starts no container and writes nothing. */
export async function planRun(
  services: Services, definition: Definition, pipeline: string, parameters: Record<string, ParameterValue>, options: RunOptions,
): Promise<PlannedStep[]> {
  const runId = 'plan';
  const run: RunRecord = {
    runId, pipeline, definitionFile: definition.file, definition: '', parameters, options, status: 'running',
    startedAt: Date.now(), execution: executionVariables(pipeline, runId, Date.now()),
  };
  const rc: RunContext = {
    services, run, definition, signal: new AbortController().signal, emit: () => undefined,
    log: pino({ level: 'silent' }), properties: new Map(), outputs: new Map(),
    forced: options.noCache ? new Set(definition.steps.map((s) => s.name)) : downstreamOf(definition, options.rerun),
  };
  const images = new Map((await checkImages(services.images, definition, parameters, run.execution)).map((c) => [c.step, c]));
  const byName = new Map(definition.steps.map((s) => [s.name, s]));
  const planned = new Map<string, PlannedStep>();
  for (const name of topologicalOrder(definition)) {
    const step = byName.get(name)!;
    const image = images.get(name);
    const p = (action: PlannedStep['action'], why: string, extra: Partial<PlannedStep> = {}): void => {
      planned.set(name, { name, type: step.type, action, why, ...(image ? { image } : {}), ...extra });
    };
    const selective = planSelectiveStep(services.store, definition, options.selective, name, rc);
    if (selective !== undefined) { p(selective.action, selective.why, selective.reusedFrom ? { reusedFrom: selective.reusedFrom } : {}); continue; }
    if (image?.status === 'missing') { p('blocked', image.problem === undefined ? `image ${image.uri} is missing` : ''); continue; }
    const notReused = step.dependsOn.filter((d) => planned.get(d)?.action !== 'reuse');
    if (notReused.length > 0) {
      const blocked = notReused.filter((d) => planned.get(d)?.action === 'blocked');
      if (blocked.length > 0) p('blocked', `waits on ${quoteList(blocked)}, which cannot run`);
      else p('run', `upstream ${quoteList(notReused)} will run`);
      continue;
    }
    const control = planControlStep(rc, step);
    if (control !== undefined) { p(control.action, control.why); continue; }
    const executor = services.executors.get(step.type);
    if (executor === undefined) { p('blocked', `step type "${step.type}" cannot run locally yet`); continue; }
    const args = resolveArguments(rc, step);
    if (!args.ok) { p('blocked', '', { failure: args.error }); continue; }
    const prepared = await executor.prepare(args.value, stepContext(rc, step, 1, upstreamOutputs(rc, step)), { pull: false });
    if (!prepared.ok) { p('blocked', '', { failure: prepared.error }); continue; }
    if (prepared.value.fingerprint.image.id === '') { p('run', `image ${prepared.value.fingerprint.image.uri} will be pulled first`); continue; }
    const fp = buildFingerprint(step.type, prepared.value.fingerprint);
    if (rc.forced.has(name)) { p('run', options.noCache ? '--no-cache' : `--rerun ${options.rerun.join(',')}`); continue; }
    if (step.cacheConfig?.enabled === false) { p('run', 'caching disabled by CacheConfig.Enabled=false'); continue; }
    if (executor.cacheable === false) { p('run', `${step.type} steps are never reused from the cache`); continue; }
    const notBefore = step.cacheConfig?.expireAfterMs === undefined ? 0 : Date.now() - step.cacheConfig.expireAfterMs;
    const hit = services.store.findCacheEntry(fp.key, notBefore);
    const source = hit === undefined ? undefined : services.store.getStep(hit.runId, hit.step);
    if (hit !== undefined && source?.properties !== undefined) {
      rc.properties.set(name, source.properties);
      rc.outputs.set(name, services.store.getOutputs(hit.runId, hit.step));
      p('reuse', `same fingerprint as run ${hit.runId} (${new Date(hit.createdAt).toISOString()})`, { reusedFrom: hit.runId });
      continue;
    }
    const prev = services.store.previousFingerprint(pipeline, name, { ...run, runId: '', startedAt: Date.now() });
    if (prev === undefined) { p('run', 'no earlier execution'); continue; }
    const changes = diffFingerprints(JSON.parse(prev.fingerprint) as Fingerprint, fp.fingerprint).map((c) => c.path);
    p('run', changes.length === 0 ? `earlier execution in run ${prev.runId} expired` : `changed since run ${prev.runId}: ${changes.join(', ')}`);
  }
  return annotateBranches(definition, topologicalOrder(definition).map((n) => planned.get(n)!));
}

function quoteList(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
