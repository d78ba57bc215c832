import { constants, lstat, open, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { JsonValue } from '../../kernel/json.js';
import type { Mount } from '../../contracts/container-runtime.js';

/** SageMaker names a job's hosts `algo-1` … `algo-N`; a one-instance job runs on `algo-1`. */
export const CURRENT_HOST = 'algo-1';
export const NETWORK_INTERFACE = 'eth0';
/** A failing job writes its reason here (training and processing alike). */
export const OUTPUT_DIR = '/opt/ml/output';
export const FAILURE_FILE = '/opt/ml/output/failure';
/** SageMaker keeps the first 1024 characters of FailureReason; keep a little more for the user. */
const FAILURE_READ_LIMIT = 64 * 1024;

export interface ResourceConfigFile {
  current_host: string;
  hosts: string[];
  network_interface_name: string;
  current_instance_type: string;
  [key: string]: JsonValue;
}

/** Which host of a job a container is: its name and every host's (resourceconfig.json's current_host and hosts). */
export interface JobHost {
  current: string;
  hosts: readonly string[];
}

/** The hosts of a job of `count` instances, as SageMaker names them: `algo-1` … `algo-<count>`. */
export function instanceHosts(count: number): string[] {
  return Array.from({ length: Math.max(1, count) }, (_, i) => `algo-${i + 1}`);
}

/** `resourceconfig.json` as host `currentHost` of `hosts` sees it (default: a one-host job on `algo-1`). */
export function resourceConfig(instanceType: string, currentHost = CURRENT_HOST, hosts: readonly string[] = [CURRENT_HOST]): ResourceConfigFile {
  return {
    current_host: currentHost,
    hosts: [...hosts],
    network_interface_name: NETWORK_INTERFACE,
    current_instance_type: instanceType,
  };
}

export async function writeJson(dir: string, name: string, value: JsonValue): Promise<void> {
  await writeFile(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
}

/** The host path that a container path lands on, through the innermost mount containing it (undefined if none). */
export function hostPathOf(mounts: readonly Mount[], containerPath: string): string | undefined {
  const m = mountOf(mounts, containerPath);
  return m === undefined ? undefined : m.rel === '' ? m.root : join(m.root, ...m.rel.split('/'));
}

function mountOf(mounts: readonly Mount[], containerPath: string): { root: string; rel: string } | undefined {
  let best: Mount | undefined;
  for (const m of mounts) {
    const inside = containerPath === m.containerPath || containerPath.startsWith(`${m.containerPath.replace(/\/+$/, '')}/`);
    if (inside && (best === undefined || m.containerPath.length > best.containerPath.length)) best = m;
  }
  return best === undefined ? undefined : { root: best.hostPath, rel: posix.relative(best.containerPath, containerPath) };
}

/**
 * The trimmed content of `/opt/ml/output/failure` after the job, or undefined when it is absent or empty. Read as the
 * container saw it: a link (in the file's name or a directory on the way inside the mount) is never followed, and
 * anything but a regular file (a FIFO would block) is not read.
 */
export async function readFailureFile(mounts: readonly Mount[]): Promise<string | undefined> {
  const m = mountOf(mounts, FAILURE_FILE);
  if (m === undefined || m.rel === '') return undefined;
  const parts = m.rel.split('/');
  try {
    let dir = m.root;
    for (const part of parts.slice(0, -1)) {
      dir = join(dir, part);
      if (!(await lstat(dir)).isDirectory()) return undefined;
    }
    const fh = await open(join(dir, parts[parts.length - 1] as string), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if (!(await fh.stat()).isFile()) return undefined;
      const buf = Buffer.alloc(FAILURE_READ_LIMIT);
      const { bytesRead } = await fh.read(buf, 0, FAILURE_READ_LIMIT, 0);
      const text = buf.subarray(0, bytesRead).toString('utf8').trim();
      return text === '' ? undefined : text;
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}
