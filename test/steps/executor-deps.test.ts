import { rmSync } from 'node:fs';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { Store } from '../../cache/store.js';
import { anyExecutor, type AnyStepExecutor, type StepExecutor } from '../../contracts/executor.js';
import { Registry } from '../../registry/registry.js';
import { createExecutors, type ExecutorDeps } from '../../steps/executor-registry.js';
import { LambdaMap } from '../../steps/lambda-config.js';
import { ProcessingExecutor } from '../../steps/processing.js';
import { RegisterModelExecutor } from '../../steps/register-model.js';
import { testHome } from './step-context.js';

const t = testHome();
afterAll(() => { t.store.close(); rmSync(t.home, { recursive: true, force: true }); });

describe('executor dependencies are required when the executors are built', () => {
  it('a RegisterModel executor cannot be built without its store (a compile error), and registers into that store', async () => {
    expectTypeOf(RegisterModelExecutor).constructorParameters.toEqualTypeOf<[Store]>();
    expectTypeOf<ExecutorDeps>().toEqualTypeOf<{ lambdas: LambdaMap; store: Store }>();
    // @ts-expect-error TS2554: Expected 1 arguments, but got 0 (no store, no RegisterModel executor).
    const _withoutStore = (): RegisterModelExecutor => new RegisterModelExecutor();
    // @ts-expect-error TS2345: Property 'store' is missing (every executor's dependency is required).
    const _withoutDeps = (): unknown => createExecutors({ lambdas: LambdaMap.empty() });

    const exec = new RegisterModelExecutor(t.store);
    const ctx = t.ctx('Register', 'RegisterModel');
    const prepared = await exec.prepare({ ModelPackageGroupName: 'churn', ModelApprovalStatus: 'Approved' }, ctx);
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
    expect(prepared.value.job.request.group).toBe('churn');
    const r = await exec.execute(prepared.value, ctx);
    expect(r.ok && r.value.properties).toMatchObject({ ModelPackageGroupName: 'churn', ModelPackageVersion: 1, ModelApprovalStatus: 'Approved' });
    const listed = new Registry(t.store.db).list('churn');
    expect(listed.ok && listed.value.map((p) => [p.version, p.status])).toEqual([[1, 'Approved']]);
  });

  it('the registry holds every executor behind one job-hiding wrapper that runs what the same executor prepared', async () => {
    expectTypeOf<ProcessingExecutor>().not.toExtend<StepExecutor<unknown>>();
    expectTypeOf<ProcessingExecutor>().not.toExtend<AnyStepExecutor>();
    expectTypeOf(anyExecutor(new ProcessingExecutor())).toEqualTypeOf<AnyStepExecutor>();
    const executors = createExecutors({ lambdas: LambdaMap.empty(), store: t.store });
    expect([...executors.keys()].sort()).toEqual(['Callback', 'Lambda', 'Model', 'Processing', 'RegisterModel', 'Training', 'Transform', 'Tuning']);
    expect(executors.get('Processing')?.cacheable).toBeUndefined();
    const register = executors.get('RegisterModel');
    if (register === undefined) throw new Error('no RegisterModel executor');
    expect(register.cacheable).toBe(false);
    const ctx = t.ctx('Register', 'RegisterModel');
    const prepared = await register.prepare({ ModelPackageGroupName: 'wrapped' }, ctx, { pull: false });
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.error));
    expect(prepared.value.fingerprint.image).toEqual({ uri: 'register-model', id: 'register-model' });
    const r = await register.execute(prepared.value, ctx);
    expect(r.ok && r.value.properties).toMatchObject({ ModelPackageGroupName: 'wrapped', ModelPackageVersion: 1, ModelApprovalStatus: 'PendingManualApproval' });
  });
});
