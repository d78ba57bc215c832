import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepContext } from '../../contracts/executor.js';
import type { StepS3 } from '../../contracts/run-s3.js';
import { runModuleHandler } from '../../steps/lambda-module.js';
import { makeTemp } from '../cache/temp-home.js';

/**
 * A Lambda module handler runs on the host: its AWS SDK clients reach the run's S3 endpoint through its environment,
 * on loopback, with the attempt's credentials (and without an endpoint it gets none of that).
 */
let tmp: ReturnType<typeof makeTemp>;
beforeEach(() => { tmp = makeTemp('cairn-lambda-s3-'); });
afterEach(() => tmp.cleanup());

const HANDLER = `export const handler = async () => Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k.startsWith('AWS_') && k !== 'AWS_EC2_METADATA_DISABLED'));
`;

const loopback = { endpointUrl: 'http://127.0.0.1:45678', region: 'eu-west-1', credentials: { accessKeyId: 'AKATTEMPT1', secretAccessKey: 'sec', sessionToken: 'tok' } };
const s3: StepS3 = { network: 'cairn-r1', access: () => ({ container: { ...loopback, endpointUrl: 'http://172.18.0.1:45678' }, loopback }) };

function context(withS3: boolean): StepContext {
  return {
    runId: 'r1', stepName: 'Register', attempt: 1, upstreamOutputs: [], signal: new AbortController().signal,
    artifacts: { home: tmp.dir }, onLine: () => undefined, log: pino({ level: 'silent' }),
    ...(withS3 ? { s3 } : {}),
  } as unknown as StepContext;
}

async function envOf(withS3: boolean): Promise<unknown> {
  const file = join(tmp.dir, 'handler.mjs');
  writeFileSync(file, HANDLER);
  const r = await runModuleHandler(context(withS3), { kind: 'module', module: file, moduleAsWritten: './handler.mjs', export: 'handler', timeoutS: 30 }, {}, {}, 'Register');
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('Lambda module handlers and the run\'s S3 endpoint', () => {
  it('get the loopback endpoint, the region and the attempt\'s credentials in their environment', async () => {
    expect(await envOf(true)).toMatchObject({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:45678', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:45678', AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKATTEMPT1', AWS_SECRET_ACCESS_KEY: 'sec', AWS_SESSION_TOKEN: 'tok',
    });
  });

  it('get no endpoint without one', async () => {
    expect(await envOf(false)).not.toHaveProperty('AWS_ENDPOINT_URL');
  });
});
