import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { list } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outRef, pyStep } from './fixtures.js';
import { PY_IMAGE, summary, Workspace } from './harness.js';

let ws: Workspace;
beforeEach(() => { ws = new Workspace(); });
afterEach(() => ws.dispose());

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** The sha256 of every regular file under `dir` (links are not followed). */
function hashesUnder(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.add(sha256(readFileSync(p)));
    }
  };
  walk(dir);
  return out;
}

const definition = (steps: unknown[]) => ({ Version: '2020-12-01', Metadata: {}, Parameters: [], Steps: steps });

describe('links a job leaves in its outputs', () => {
  it('a link to a host file (/etc/shadow) fails the step with the link and its target; nothing of it is stored', async () => {
    ws.write('leak.json', definition([
      pyStep('Leak', [
        'import os', "out = '/opt/ml/processing/output/o'",
        "open(os.path.join(out, 'ok.csv'), 'w').write('fine')",
        "os.symlink('/etc/shadow', os.path.join(out, 'shadow'))",
      ].join('\n'), [], ['o']),
    ]));
    const { result, json } = await ws.json(['run', 'leak.json', '--json']);
    expect(result.code).toBe(1);
    expect(summary(json)).toEqual({ Leak: 'failed' });
    const shown = await ws.run(['show', json.runId]);
    expect(shown.stdout).toContain('Processing step "Leak"');
    expect(shown.stdout).toContain('output "o" holds the symbolic link /opt/ml/processing/output/o/shadow -> /etc/shadow');
    const shadow = sha256(readFileSync('/etc/shadow'));
    expect(hashesUnder(ws.home).has(shadow)).toBe(false);
    // refused before anything was moved: the store and the s3/ view hold nothing of the step
    for (const d of ['cas', 's3']) expect(existsSync(join(ws.home, d)) ? [...hashesUnder(join(ws.home, d))] : []).toEqual([]);
  });

  it('a link to a file of the same output is kept: the step succeeds, the s3/ view has the link, downstream reads through it', async () => {
    ws.write('inside.json', definition([
      pyStep('Train', [
        'import os', "out = '/opt/ml/processing/output/m'",
        "open(os.path.join(out, 'model-3.bin'), 'w').write('weights-3')",
        "os.symlink('model-3.bin', os.path.join(out, 'latest.bin'))",
      ].join('\n'), [], ['m']),
      pyStep('Use', [
        "import os", "src = '/opt/ml/processing/input/m'",
        "assert os.path.islink(os.path.join(src, 'latest.bin')), os.listdir(src)",
        "open('/opt/ml/processing/output/u/used.txt', 'w').write(open(os.path.join(src, 'latest.bin')).read())",
      ].join('\n'), [['m', outRef('Train', 'm')]], ['u']),
    ]));
    const { result, json } = await ws.json(['run', 'inside.json', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(summary(json)).toEqual({ Train: 'succeeded', Use: 'succeeded' });
    const s3 = join(ws.home, 's3', 'test-bucket', 'runs', json.runId);
    expect(lstatSync(join(s3, 'Train', 'm', 'latest.bin')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(s3, 'Train', 'm', 'latest.bin'))).toBe('model-3.bin');
    expect(readFileSync(join(s3, 'Use', 'u', 'used.txt'), 'utf8')).toBe('weights-3');
  });

  it('Training: a link in /opt/ml/model to a host directory fails the step; one inside is archived as a link in model.tar.gz', async () => {
    const training = (name: string, code: string) => ({
      Name: name, Type: 'Training',
      Arguments: {
        AlgorithmSpecification: { TrainingImage: PY_IMAGE, TrainingInputMode: 'File', ContainerEntrypoint: ['python3', '-c', code] },
        OutputDataConfig: { S3OutputPath: 's3://test-bucket/models' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
        RoleArn: 'arn:aws:iam::111122223333:role/test',
      },
    });
    const model = ['import os', "open('/opt/ml/model/model.pt', 'w').write('w')", "os.symlink('model.pt', '/opt/ml/model/latest.pt')"];
    ws.write('leak.json', definition([training('Fit', [...model, "os.symlink('/etc', '/opt/ml/model/etc')"].join('\n'))]));
    const leak = await ws.json(['run', 'leak.json', '--json']);
    expect(summary(leak.json)).toEqual({ Fit: 'failed' });
    expect((await ws.run(['show', leak.json.runId])).stdout).toContain('output "model" holds the symbolic link /opt/ml/model/etc -> /etc');

    ws.write('fit.json', definition([training('Fit', model.join('\n'))]));
    const fit = await ws.json(['run', 'fit.json', '--json']);
    expect(summary(fit.json)).toEqual({ Fit: 'succeeded' });
    const archive = join(ws.home, 's3', 'test-bucket', 'models', `pipelines-${fit.json.runId}-Fit`, 'output', 'model.tar.gz');
    const members: Record<string, string> = {};
    await list({ file: archive, onReadEntry: (e) => { members[e.path] = `${e.type}${e.linkpath ? ` -> ${e.linkpath}` : ''}`; } });
    expect(members).toEqual({ 'latest.pt': 'SymbolicLink -> model.pt', 'model.pt': 'File' });
  });
});
