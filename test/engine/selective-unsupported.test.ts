import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plannedWhy } from '../../cli/plan-words.js';
import { readPipelineRequest } from '../../cli/pipeline-request.js';
import { runRefusalText } from '../../cli/render-refusal.js';
import { planRun } from '../../engine/run/plan.js';
import { startRun } from '../../engine/run/run-pipeline.js';
import { scheduledSteps } from '../../engine/run/selective.js';
import { CHAIN_IMAGE, proc } from './processing-chain.js';
import { definitionText } from './definition-helpers.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { fakeServices } from '../support/fake-services.js';

/**
 * A step type cairn cannot run (EMR, QualityCheck, ClarifyCheck …) refuses the pipeline when it would run, but not when
 * `--steps` leaves it out: it is then not run, as any step outside the selection.
 */
let env: ReturnType<typeof fakeServices>;
beforeEach(() => {
  env = fakeServices(new FakeRuntime());
  env.runtime.addImage(CHAIN_IMAGE);
  env.runtime.onImage(CHAIN_IMAGE, () => 0);
  mkdirSync(join(env.services.home.root, 's3/bucket/raw'), { recursive: true });
  writeFileSync(join(env.services.home.root, 's3/bucket/raw/data.csv'), '1\n');
});
afterEach(() => env.close());

const CHECK = { Name: 'Check', Type: 'QualityCheck', Arguments: { CheckType: 'DATA_QUALITY' } };
const EMR = { Name: 'Spark', Type: 'EMR', Arguments: { ClusterId: 'j-1' }, DependsOn: ['Check'] };

function write(): string {
  const file = join(env.services.home.root, 'pipeline.json');
  writeFileSync(file, definitionText({ Steps: [proc('A', 's3://bucket/raw'), CHECK, EMR] }));
  return file;
}

describe('unsupported step types and --steps', () => {
  it('refuse the pipeline without --steps, naming each step', async () => {
    const r = await readPipelineRequest(write(), {});
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.error;
    expect(lines.filter((l) => l.includes('is not supported yet'))).toHaveLength(2);
    expect(lines.join('\n')).toContain('step type "QualityCheck" is not supported yet');
    expect(lines.join('\n')).toContain('step type "EMR" is not supported yet');
  });

  it('are not run when --steps leaves them out: plan says not-run, the run succeeds', async () => {
    const r = await readPipelineRequest(write(), { steps: ['A'] });
    if (!r.ok) throw new Error(r.error.join('\n'));
    const def = r.value.loaded.definition;
    const options = { noCache: false, rerun: [], selective: { steps: ['A'] } };
    const planned = await planRun(env.services, def, 'p', {}, options);
    expect(Object.fromEntries(planned.map((p) => [p.name, p.action]))).toEqual({ A: 'run', Check: 'not-run', Spark: 'not-run' });
    const run = await startRun(env.services, { definition: def, definitionText: r.value.loaded.text, pipeline: 'p', parameters: {}, options },
      { signal: new AbortController().signal, emit: () => undefined, maxParallel: 1 });
    if (!run.ok) throw new Error(runRefusalText(run.error));
    expect(run.value.status).toBe('succeeded');
    expect(Object.fromEntries(env.services.store.getSteps(run.value.runId).map((s) => [s.name, s.status])))
      .toEqual({ A: 'succeeded', Check: 'not-run', Spark: 'not-run' });
  });

  it('block the plan when the selection needs them', async () => {
    const r = await readPipelineRequest(write(), { steps: ['Check'] });
    if (!r.ok) throw new Error(r.error.join('\n'));
    const options = { noCache: false, rerun: [], selective: { steps: ['Check'] } };
    const planned = await planRun(env.services, r.value.loaded.definition, 'p', {}, options);
    const check = planned.find((p) => p.name === 'Check')!;
    expect([check.action, plannedWhy(check)]).toEqual(['blocked', 'step type "QualityCheck" cannot run locally yet (leave it out of --steps)']);
    expect(scheduledSteps(r.value.loaded.definition, options.selective)?.has('Check')).toBe(true);
  });
});
