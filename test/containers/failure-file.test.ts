import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFailureFile } from '../../containers/contract/shared.js';
import { makeTemp } from '../cache/temp-home.js';

let tmp: ReturnType<typeof makeTemp>;
let out: string;
let secret: string;
beforeEach(() => {
  tmp = makeTemp('cairn-failure-');
  out = path.join(tmp.dir, 'attempt', 'output');
  mkdirSync(out, { recursive: true });
  secret = path.join(tmp.dir, 'host-secret');
  writeFileSync(secret, 'root:secret:19000');
});
afterEach(() => tmp.cleanup());

const mounts = () => [{ hostPath: out, containerPath: '/opt/ml/output', readOnly: false }];

describe('readFailureFile reads /opt/ml/output/failure as the container saw it', () => {
  it('reads a regular file', async () => {
    writeFileSync(path.join(out, 'failure'), '  ValueError: bad input\n');
    expect(await readFailureFile(mounts())).toBe('ValueError: bad input');
  });

  it('never follows a link to a host file', async () => {
    symlinkSync(secret, path.join(out, 'failure'));
    expect(await readFailureFile(mounts())).toBeUndefined();
  });

  it('never follows a linked directory on the way inside the mount', async () => {
    rmSync(out, { recursive: true });
    mkdirSync(path.join(tmp.dir, 'attempt', 'ml'), { recursive: true });
    writeFileSync(path.join(tmp.dir, 'failure'), 'host file named failure');
    symlinkSync(tmp.dir, path.join(tmp.dir, 'attempt', 'ml', 'output'));
    const wide = [{ hostPath: path.join(tmp.dir, 'attempt', 'ml'), containerPath: '/opt/ml', readOnly: false }];
    expect(await readFailureFile(wide)).toBeUndefined();
  });

  it('does not block on a FIFO', async () => {
    execFileSync('mkfifo', [path.join(out, 'failure')]);
    expect(await readFailureFile(mounts())).toBeUndefined();
  });
});
