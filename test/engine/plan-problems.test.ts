import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plannedWhy } from '../../cli/plan-words.js';
import type { JsonValue } from '../../kernel/json.js';
import type { PlanBlocker } from '../../engine/run/planned-step.js';
import { planRun } from '../../engine/run/plan.js';
import { CHAIN_IMAGE, definition, proc } from './processing-chain.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { fakeServices } from '../support/fake-services.js';

/** `plan` reports every problem of every step in one pass: here 4 problems in 2 steps, and a sound third step. */
let env: ReturnType<typeof fakeServices>;
beforeEach(() => {
  env = fakeServices(new FakeRuntime());
  env.runtime.addImage(CHAIN_IMAGE);
  const raw = join(env.services.home.root, 's3/bucket/raw');
  mkdirSync(raw, { recursive: true });
  writeFileSync(join(raw, 'data.csv'), '1\n');
});
afterEach(() => env.close());

/** A Processing step reading `input`, with its code as a second input at /opt/ml/processing/input/code. */
function withCode(name: string, input: string, code: string, image = CHAIN_IMAGE): JsonValue {
  const step = proc(name, input) as { Arguments: { AppSpecification: { ImageUri: string }; ProcessingInputs: JsonValue[] } };
  step.Arguments.AppSpecification.ImageUri = image;
  step.Arguments.ProcessingInputs.push({ InputName: 'code', S3Input: { S3Uri: code, LocalPath: '/opt/ml/processing/input/code', S3DataType: 'S3Prefix', S3InputMode: 'File' } });
  return step as unknown as JsonValue;
}

describe('plan reports every problem at once', () => {
  it('an unknown image, a missing input and missing code in one step, missing code in another', async () => {
    const d = definition([
      withCode('Prepare', 's3://bucket/nowhere', 's3://bucket/code/prepare.py', 'example.invalid/no-such-image:1'),
      withCode('Train', 's3://bucket/raw', 's3://bucket/code/train.py'),
      withCode('Fine', 's3://bucket/raw', 's3://bucket/raw'),
    ]);
    const planned = await planRun(env.services, d.def, 'p', { Go: 'yes' }, { noCache: false, rerun: [] });
    const byName = new Map(planned.map((p) => [p.name, p]));
    const prepare = byName.get('Prepare')!;
    if (prepare.action !== 'blocked') throw new Error(`Prepare is ${prepare.action}`);
    expect((prepare.problems ?? []).map((b: PlanBlocker) => (b.kind === 'failure' ? b.failure.reason : b.kind))).toEqual(['image', 'input-missing', 'input-missing']);
    const why = plannedWhy(prepare);
    expect(why).toContain('s3://bucket/code/prepare.py');
    expect(why).toContain('example.invalid/no-such-image:1');
    expect(why).toContain('s3://bucket/nowhere');
    const train = byName.get('Train')!;
    if (train.action !== 'blocked') throw new Error(`Train is ${train.action}`);
    expect([train.blocker.kind === 'failure' && train.blocker.failure.reason, train.problems]).toEqual(['input-missing', undefined]);
    expect(plannedWhy(train)).toContain('s3://bucket/code/train.py');
    expect(byName.get('Fine')?.action).toBe('run');
  });
});
