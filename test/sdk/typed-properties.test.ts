import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `step.properties.…` is checked by the compiler: a user's pipeline that names an output, a property or a property
// file a step does not have does not type-check. The file below is compiled with the project's own tsc; every line
// marked `// error: <text>` must be reported with that text, and no other line may be.
const ROOT = resolve(import.meta.dirname, '../..');
const SDK = join(ROOT, 'sdk/index.js');
const dir = mkdtempSync(join(tmpdir(), 'cairn-typed-properties-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PIPELINE = `import {
  CallbackStep, ConditionEquals, ConditionStep, Estimator, FailStep, LambdaStep, Model, ModelStep, Pipeline, ProcessingOutput,
  ProcessingStep, PropertyFile, ScriptProcessor, TrainingStep, Transformer, TransformStep,
} from ${JSON.stringify(SDK)};

const role = 'arn:aws:iam::111122223333:role/r';
const proc = new ScriptProcessor({ imageUri: 'img', command: ['python3'], role, instanceType: 'ml.m5.large' });
const prep = new ProcessingStep({
  name: 'Prep',
  stepArgs: proc.run({ code: 's3://b/prep.py', outputs: [new ProcessingOutput({ outputName: 'train', source: '/a' }), new ProcessingOutput({ outputName: 'test', source: '/b' })] }),
  propertyFiles: [new PropertyFile({ name: 'Report', outputName: 'test', path: 'report.json' })],
});
const good: unknown[] = [prep.properties.outputUri('train'), prep.properties.processingOutputConfig.outputs.get('test').s3Output.s3Uri];
prep.properties.outputUri('tset'); // error: "tset"
prep.properties.processingOutputConfig.outputs.get('validation'); // error: "validation"
const badFile = new ProcessingStep({
  name: 'Bad', processor: proc, code: 's3://b/prep.py', outputs: [new ProcessingOutput({ outputName: 'evaluation', source: '/e' })],
  propertyFiles: [new PropertyFile({ name: 'Report', outputName: 'evaluaton', path: 'report.json' })], // error: "evaluaton"
});
const train = new TrainingStep({ name: 'Train', estimator: new Estimator({ imageUri: 'img', role, instanceType: 'ml.m5.large' }) });
good.push(train.properties.modelArtifacts.s3ModelArtifacts);
train.properties.modelArtifact; // error: Property 'modelArtifact' does not exist
const lambda = new LambdaStep({ name: 'L', functionArn: 'arn:aws:lambda:us-east-1:1:function:f', outputs: [{ outputName: 'versions' }] });
good.push(lambda.properties.outputs('versions'));
lambda.properties.outputs('version'); // error: "version"
const callback = new CallbackStep({ name: 'C', sqsQueueUrl: 'https://sqs/q', outputs: [{ outputName: 'approved', outputType: 'Boolean' }] });
good.push(callback.properties.outputs('approved'));
callback.properties.outputs('approval'); // error: "approval"
const model = new Model({ imageUri: 'img', modelData: train.properties.modelArtifacts.s3ModelArtifacts, role });
const create = new ModelStep({ name: 'Create', stepArgs: model.create() });
const register = new ModelStep({ name: 'Register', stepArgs: model.register({ modelPackageGroupName: 'g' }) });
good.push(create.properties.modelName, register.properties.modelPackageArn);
register.properties.modelName; // error: Property 'modelName' does not exist on type 'ModelPackageProperties'
create.properties.modelPackageArn; // error: Property 'modelPackageArn' does not exist on type 'ModelProperties'
const batch = new TransformStep({ name: 'Batch', stepArgs: new Transformer({ modelName: create.properties.modelName, instanceType: 'ml.m5.large', outputPath: 's3://b/o' }).transform({ data: 's3://b/i' }) });
good.push(batch.properties.transformOutput.s3OutputPath);
batch.properties.transformOutput.s3Uri; // error: Property 's3Uri' does not exist
const gate = new ConditionStep({ name: 'Gate', conditions: [new ConditionEquals({ left: 1, right: 1 })], elseSteps: [new FailStep({ name: 'F' })] });
good.push(gate.properties.outcome);
gate.properties.outcomes; // error: Property 'outcomes' does not exist
export default new Pipeline({ name: 'typed', steps: [prep, badFile, train, lambda, callback, create, register, batch, gate] });
void good;
`;

function expectedErrors(text: string): Map<number, string> {
  const out = new Map<number, string>();
  text.split('\n').forEach((line, i) => {
    const m = /\/\/ error: (.+)$/.exec(line);
    if (m) out.set(i + 1, m[1]!);
  });
  return out;
}

async function typeCheck(file: string): Promise<{ line: number; message: string }[]> {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const r = await execa('node', [tsc, '--noEmit', '--strict', '--noUncheckedIndexedAccess', '--target', 'ES2022', '--module', 'NodeNext',
    '--moduleResolution', 'NodeNext', '--skipLibCheck', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), file], { reject: false, cwd: dir });
  const errors: { line: number; message: string }[] = [];
  for (const m of r.stdout.matchAll(/^(.+?)\((\d+),\d+\): error TS\d+: (.+(?:\n {2}.+)*)/gm)) {
    if (m[1]!.endsWith('pipeline.ts')) errors.push({ line: Number(m[2]), message: m[3]! });
    else throw new Error(`an error outside the user's file: ${m[0]}`);
  }
  if (r.exitCode !== 0 && errors.length === 0) throw new Error(`tsc failed without diagnostics:\n${r.stdout}\n${r.stderr}`);
  return errors;
}

describe('typed step properties', () => {
  it("names the bad output, property or property file in the compiler's error, on each bad line and nowhere else", async () => {
    const file = join(dir, 'pipeline.ts');
    writeFileSync(file, PIPELINE);
    const errors = await typeCheck(file);
    const expected = expectedErrors(PIPELINE);
    expect(expected.size).toBe(10);
    expect([...new Set(errors.map((e) => e.line))].sort((a, b) => a - b)).toEqual([...expected.keys()]);
    for (const [line, text] of expected) {
      expect(errors.filter((e) => e.line === line).map((e) => e.message).join('\n'), `line ${line}`).toContain(text);
    }
  }, 180_000);
});
