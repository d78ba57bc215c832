import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRefusalText } from '../../cli/render-refusal.js';
import type { ParameterValue } from '../../contracts/definition.js';
import type { RunOptions } from '../../contracts/records.js';
import { loadDefinitionText } from '../../engine/definition/load-definition.js';
import { planRun } from '../../engine/run/plan.js';
import { startRun } from '../../engine/run/run-pipeline.js';
import { SUPPORTED_STEP_TYPES } from '../../steps/executor-registry.js';
import { MotoServer } from '../cloud/moto-harness.js';
import { FakeRuntime, type FakeJobIo } from '../support/fake-runtime.js';
import { fakeServices } from '../support/fake-services.js';
import { copyBucketToHome, writeDefinitionWithSdk } from '../support/sagemaker-sdk.js';

/**
 * `--cache sagemaker` reuses exactly the steps SageMaker would, on a definition the real SDK writes: A and B opt in
 * (CacheConfig), C does not, D opts in with an Environment that follows a parameter. The second run changes A's
 * instance type (not part of SageMaker's key) and D's parameter (part of it): A and B (whose input is A's output URI,
 * the same once A is reused) are reused, C and D run. Jobs run on the FakeRuntime.
 */
const IMAGE = 'cairn-local/python:3.11-numpy';
const SCRIPT = `
from cairn_oracle import session, save, ROLE
from sagemaker.processing import ScriptProcessor, ProcessingInput, ProcessingOutput
from sagemaker.workflow.steps import ProcessingStep, CacheConfig
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.parameters import ParameterString

s = session()
itype = ParameterString(name="InstanceType", default_value="ml.m5.large")
mode = ParameterString(name="Mode", default_value="a")
cache = CacheConfig(enable_caching=True, expire_after="PT1H")

def proc(instance_type, env=None):
    return ScriptProcessor(image_uri="${IMAGE}", command=["python3"], role=ROLE, instance_type=instance_type,
                           instance_count=1, env=env, sagemaker_session=s)

def out():
    return [ProcessingOutput(output_name="out", source="/opt/ml/processing/out")]

a = ProcessingStep(name="A", cache_config=cache, step_args=proc(itype).run(code="a.py", outputs=out()))
b = ProcessingStep(name="B", cache_config=cache, step_args=proc("ml.m5.large").run(code="b.py", outputs=out(),
    inputs=[ProcessingInput(source=a.properties.ProcessingOutputConfig.Outputs["out"].S3Output.S3Uri,
                            destination="/opt/ml/processing/in")]))
c = ProcessingStep(name="C", step_args=proc("ml.m5.large").run(code="c.py", outputs=out()))
d = ProcessingStep(name="D", cache_config=cache, step_args=proc("ml.m5.large", env={"MODE": mode}).run(code="d.py", outputs=out()))
save(Pipeline(name="sm-cache", parameters=[itype, mode], steps=[a, b, c, d], sagemaker_session=s))
`;

const moto = new MotoServer();
beforeAll(() => moto.start());
afterAll(() => moto.stop());

describe('--cache sagemaker on a real SDK definition', () => {
  it('reuses exactly the steps whose SageMaker cache key matches, plan and run alike', async () => {
    const files = Object.fromEntries(['a', 'b', 'c', 'd'].map((n) => [`${n}.py`, `print("${n}")\n`]));
    const sdk = await writeDefinitionWithSdk(moto, SCRIPT, { files });
    const env = fakeServices(new FakeRuntime());
    try {
      const { services, runtime } = env;
      runtime.addImage(IMAGE);
      const ran: string[] = [];
      runtime.onImage(IMAGE, (io: FakeJobIo) => {
        const step = io.spec.labels['org.cairn.step'] ?? '?';
        ran.push(step);
        const dir = io.hostPath('/opt/ml/processing/out');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'out.txt'), `${step} ${ran.length}\n`);
        return 0;
      });
      await copyBucketToHome(moto, services.home.root);
      const text = JSON.stringify(sdk.definition);
      const loaded = loadDefinitionText(text, sdk.file, { supportedStepTypes: SUPPORTED_STEP_TYPES });
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
      const def = loaded.value;
      const options: RunOptions = { noCache: false, rerun: [], cache: 'sagemaker' };
      const run = async (parameters: Record<string, ParameterValue>) => {
        ran.length = 0;
        const r = await startRun(services, { definition: def, definitionText: text, pipeline: 'sm-cache', parameters, options },
          { signal: new AbortController().signal, emit: () => undefined, maxParallel: 1 });
        if (!r.ok) throw new Error(runRefusalText(r.error));
        expect(r.value.status).toBe('succeeded');
        return Object.fromEntries(services.store.getSteps(r.value.runId).map((s) => [s.name, s.reused ? 'reused' : 'ran']));
      };
      const first = { InstanceType: 'ml.m5.large', Mode: 'a' };
      expect(await run(first)).toEqual({ A: 'ran', B: 'ran', C: 'ran', D: 'ran' });
      const second = { InstanceType: 'ml.c5.xlarge', Mode: 'b' };
      const planned = await planRun(services, def, 'sm-cache', second, options);
      expect(Object.fromEntries(planned.map((p) => [p.name, [p.action, p.decision?.reason.kind, p.decision?.rule?.kind]]))).toEqual({
        A: ['reuse', 'same-sagemaker-key', 'sagemaker-key'],
        B: ['reuse', 'same-sagemaker-key', 'sagemaker-key'],
        C: ['run', 'sagemaker-not-enabled', 'disabled'],
        D: ['run', 'sagemaker-key-unmatched', 'sagemaker-key'],
      });
      expect(await run(second)).toEqual({ A: 'reused', B: 'reused', C: 'ran', D: 'ran' });
      expect(ran.sort()).toEqual(['C', 'D']);
      // cairn's own rules on the same second parameters: A's instance type is in its fingerprint, so it runs.
      const cairn = await planRun(services, def, 'sm-cache', second, { noCache: false, rerun: [] });
      expect(cairn.find((p) => p.name === 'A')?.decision).toMatchObject({ action: 'run', rule: { kind: 'content-addressed' } });
    } finally {
      env.close();
    }
  });
});
