import { describe, expect, it } from 'vitest';
import type { StepContext } from '../../contracts/executor.js';
import type { StepFailure } from '../../contracts/step-failure.js';
import { checkServes } from '../../steps/serve-check.js';
import { FakeRuntime } from '../support/fake-runtime.js';

function context(runtime: FakeRuntime, problems?: StepFailure[]): StepContext {
  return { runtime, labels: {}, signal: new AbortController().signal, ...(problems ? { onProblem: (f: StepFailure) => problems.push(f) } : {}) } as unknown as StepContext;
}

describe('checkServes: can a Transform model image run `serve`?', () => {
  it('asks the image shell once per image, refuses one without `serve`, and reports it as a plan problem', async () => {
    const runtime = new FakeRuntime();
    const good = runtime.addImage('good:1');
    const bad = runtime.addImage('bad:1');
    let probes = 0;
    runtime.onImage(good.id, (io) => { probes += 1; expect(io.spec.entrypoint).toEqual(['/bin/sh', '-c', 'command -v serve']); expect(io.spec.networkIsolated).toBe(true); return 0; });
    runtime.onImage(bad.id, () => { probes += 1; return 1; });
    expect((await checkServes(context(runtime), { id: good.id, uri: 'good:1' }, 'ModelName')).ok).toBe(true);
    expect((await checkServes(context(runtime), { id: good.id, uri: 'good:1' }, 'ModelName')).ok).toBe(true);
    const refused = await checkServes(context(runtime), { id: bad.id, uri: 'bad:1' }, "ModelName (the model's PrimaryContainer.Image)");
    expect(refused.ok).toBe(false);
    if (!refused.ok && refused.error.reason === 'invalid-arguments' && 'problem' in refused.error) {
      expect(refused.error.field).toBe("ModelName (the model's PrimaryContainer.Image)");
      expect(refused.error.problem).toContain('is bad:1, which cannot serve a model: it has no ENTRYPOINT and no `serve` executable on its PATH');
    } else {
      throw new Error(`unexpected ${JSON.stringify(refused)}`);
    }
    const problems: StepFailure[] = [];
    expect((await checkServes(context(runtime, problems), { id: bad.id, uri: 'bad:1' }, 'ModelName')).ok).toBe(true);
    expect(problems.map((p) => p.reason)).toEqual(['invalid-arguments']);
    expect(probes).toBe(2);
  });

  it('trusts an ENTRYPOINT (it receives `serve`) and does not refuse an image it cannot ask', async () => {
    const runtime = new FakeRuntime();
    const withEntry = runtime.addImage('entry:1');
    withEntry.entrypoint = ['/usr/bin/tini', '--', 'start.sh'];
    const noShell = runtime.addImage('distroless:1'); // no job registered: the probe container cannot start
    expect((await checkServes(context(runtime), { id: withEntry.id, uri: 'entry:1' }, 'ModelName')).ok).toBe(true);
    expect((await checkServes(context(runtime), { id: noShell.id, uri: 'distroless:1' }, 'ModelName')).ok).toBe(true);
    expect(runtime.specs.map((s) => s.image)).toEqual([noShell.id]); // the ENTRYPOINT image was never probed
  });
});
