import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservePath } from '../../cache/disk-reserve.js';
import { SmallFs } from '../support/small-fs.js';
import { CLI, collect, PY_IMAGE, type CliResult, type RunJson } from './harness.js';

/**
 * A cairn home on a small ext4 disk that fills up for real (tests/support/small-fs.ts, as root). The job writes a
 * 1 MiB output and then, when its flag input says "fill", fills the disk to the last block (in its /opt/ml/output,
 * which cairn does not commit), so the output commit meets ENOSPC.
 */
const JOB = [
  'import os',
  "open('/opt/ml/processing/output/big/big.bin', 'wb').write(b'x' * 1048576)",
  "if open('/opt/ml/processing/input/flag/flag.txt').read().strip() == 'fill':",
  "    fd = os.open('/opt/ml/output/filler', os.O_WRONLY | os.O_CREAT)",
  '    size, off = 1 << 30, 0',
  '    while size >= 512:',
  '        try:',
  '            os.posix_fallocate(fd, off, size); off += size',
  '        except OSError:',
  '            size //= 2',
  '    os.fsync(fd)',
  "    print('filled', off)",
].join('\n');

const definition = {
  Version: '2020-12-01', Metadata: {}, Parameters: [],
  Steps: [{
    Name: 'Big', Type: 'Processing',
    Arguments: {
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 } },
      AppSpecification: { ImageUri: PY_IMAGE, ContainerEntrypoint: ['python3', '-c', JOB] },
      RoleArn: 'arn:aws:iam::111122223333:role/test',
      ProcessingInputs: [{
        InputName: 'flag', AppManaged: false,
        S3Input: { S3Uri: 's3://b/in/flag.txt', LocalPath: '/opt/ml/processing/input/flag', S3DataType: 'S3Prefix', S3InputMode: 'File' },
      }],
      ProcessingOutputConfig: {
        Outputs: [{ OutputName: 'big', AppManaged: false, S3Output: { S3Uri: 's3://b/out/big', LocalPath: '/opt/ml/processing/output/big', S3UploadMode: 'EndOfJob' } }],
      },
    },
  }],
};

let fs: SmallFs;
let work: string;
let home: string;
beforeAll(() => {
  fs = new SmallFs(48);
  work = mkdtempSync(join(tmpdir(), 'cairn-e2e-disk-'));
  home = join(fs.dir, 'home');
  writeFileSync(join(work, 'big.json'), JSON.stringify(definition));
});
afterAll(() => {
  fs.unmount();
  rmSync(work, { recursive: true, force: true });
});

const cairn = (args: string[]): Promise<CliResult> =>
  collect(spawn(process.execPath, [CLI, ...args], { cwd: work, env: { ...process.env, CAIRN_HOME: home, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] }));

function flag(value: string): void {
  mkdirSync(join(home, 's3', 'b', 'in'), { recursive: true });
  writeFileSync(join(home, 's3', 'b', 'in', 'flag.txt'), value);
}

/** Every filler the job or the test made, so the disk has room again. */
function freeTheDisk(): void {
  rmSync(join(fs.dir, 'filler'), { force: true });
  const runs = join(home, 'runs');
  for (const run of readdirSync(runs)) {
    const steps = join(runs, run, 'steps', 'Big');
    if (!existsSync(steps)) continue;
    for (const a of readdirSync(steps)) rmSync(join(steps, a, 'output', 'filler'), { force: true });
  }
}

describe('a full disk during a run (a real small ext4 disk as the cairn home)', () => {
  it('fails the step with the disk-full reason, ends the run failed, keeps read-only commands working, and resumes once there is room', async () => {
    flag('fill');
    const r = await cairn(['run', 'big.json', '--json']);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as RunJson;
    expect(j.status).toBe('failed');
    expect(j.steps).toMatchObject([{ name: 'Big', status: 'failed' }]);
    expect(r.stderr).toMatch(new RegExp(
      `Processing step "Big": the disk is full \\(ENOSPC\\) while committing output "big" \\(s3://b/out/big\\) to ${join(home, 's3', 'b', 'out', 'big')}; \\d+(\\.\\d)? (bytes|KiB) free there\\.`));

    // The disk is full again (the reserve cairn gave back is taken): every read-only command still answers.
    fs.fill();
    const show = await cairn(['show', j.runId]);
    expect({ code: show.code, stderr: show.stderr }).toEqual({ code: 0, stderr: '' });
    expect(show.stdout).toContain('[disk-full, not retryable]');
    expect(show.stdout).toContain('the disk is full (ENOSPC) while committing output "big"');
    const runs = await cairn(['runs']);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toMatch(new RegExp(`^${j.runId} +failed`, 'm'));
    for (const args of [['explain', j.runId, 'Big'], ['metrics', j.runId], ['logs', j.runId, 'Big'], ['experiments'], ['models', 'groups'], ['plan', 'big.json']]) {
      const o = await cairn(args);
      expect({ args, code: o.code, internal: o.stderr.includes('internal error') }).toEqual({ args, code: 0, internal: false });
    }

    // Room again: the resume runs the step to success and makes the disk reserve anew.
    freeTheDisk();
    flag('keep');
    const resumed = await cairn(['resume', j.runId, '--json']);
    expect(resumed.code).toBe(0);
    expect((JSON.parse(resumed.stdout) as RunJson).steps).toMatchObject([{ name: 'Big', status: 'succeeded' }]);
    expect(existsSync(reservePath(home))).toBe(true);
  });
});
