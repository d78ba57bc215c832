import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { MotoServer } from '../cloud/moto-harness.js';
import { MOTO_REGION, MOTO_ROLE_ARN } from '../cloud/moto-harness.js';

/**
 * The real SageMaker Python SDK v2 as the oracle: a test writes a pipeline in Python (importing `cairn_oracle` from
 * test/support/sagemaker_sdk/), the SDK's `pipeline.definition()` comes back as parsed JSON. The SDK's uploads (code,
 * sourcedir.tar.gz, runproc scripts) go to the moto server the test started; `copyBucketToHome` puts them into a cairn
 * home's `s3/` view. The venv is made by scripts/ensure-sagemaker-sdk.sh (.ci/run runs it).
 */
const here = dirname(fileURLToPath(import.meta.url));
export const ORACLE_MODULE_DIR = join(here, 'sagemaker_sdk');
export const SDK_BUCKET = 'cairn-sdk-test';

export function sagemakerPython(): string {
  const venv = process.env.CAIRN_SAGEMAKER_VENV ?? join(homedir(), '.cache', 'cairn', 'sagemaker-sdk');
  const py = join(venv, 'bin', 'python');
  if (!existsSync(py)) {
    throw new Error(`the SageMaker Python SDK venv is missing (${py}); create it with: bash scripts/ensure-sagemaker-sdk.sh`);
  }
  return py;
}

export interface SdkDefinition {
  definition: Record<string, unknown>;
  /** The definition file the SDK wrote (pretty-printed JSON). */
  file: string;
  stdout: string;
}

/**
 * Runs `script` (Python source that imports cairn_oracle and ends with `save(pipeline)`) with the real SDK against
 * `moto`; `cwd` is where relative code paths resolve (default: a new temp dir). Files in `files` are written under
 * `cwd` first (e.g. `{ 'code/train.py': '…' }`).
 */
export async function writeDefinitionWithSdk(
  moto: MotoServer,
  script: string,
  opts: { cwd?: string; files?: Record<string, string>; env?: Record<string, string> } = {},
): Promise<SdkDefinition> {
  const cwd = opts.cwd ?? (await mkdtemp(join(tmpdir(), 'cairn-sdk-')));
  for (const [rel, text] of Object.entries(opts.files ?? {})) {
    await mkdir(dirname(join(cwd, rel)), { recursive: true });
    await writeFile(join(cwd, rel), text);
  }
  const scriptFile = join(cwd, 'write_pipeline.py');
  await writeFile(scriptFile, script);
  const file = join(cwd, 'definition.json');
  const r = await execa(sagemakerPython(), [scriptFile], {
    cwd,
    reject: false,
    all: true,
    env: {
      ...moto.env(),
      PYTHONPATH: ORACLE_MODULE_DIR,
      CAIRN_SDK_OUT: file,
      CAIRN_SDK_ROLE: MOTO_ROLE_ARN,
      CAIRN_SDK_BUCKET: SDK_BUCKET,
      ...(opts.env ?? {}),
    },
  });
  if (r.exitCode !== 0) throw new Error(`the SageMaker SDK script failed (exit ${r.exitCode}):\n${r.all ?? ''}`);
  const definition = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  return { definition, file, stdout: r.stdout };
}

/** Copies every object of `bucket` on moto into `<home>/s3/<bucket>/<key>` (the store's s3/ view); returns the keys. */
export async function copyBucketToHome(moto: MotoServer, home: string, bucket = SDK_BUCKET): Promise<string[]> {
  const s3 = new S3Client({ region: MOTO_REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ...(token !== undefined ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
    token = page.NextContinuationToken;
  } while (token !== undefined);
  for (const key of keys) {
    const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = await body.Body?.transformToByteArray();
    const dest = join(home, 's3', bucket, key);
    await mkdir(dirname(dest), { recursive: true });
    await writeFile(dest, bytes ?? new Uint8Array());
  }
  return keys;
}
