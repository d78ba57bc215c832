import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MotoServer } from '../cloud/moto-harness.js';
import { sagemakerPython } from '../support/sagemaker-sdk.js';
import { startHarness, type EndpointHarness } from './endpoint-harness.js';

/**
 * boto3 on the host (the SageMaker SDK venv's, flexible checksums on by default) runs the same operations against moto
 * and against cairn's endpoint, including upload_file of a 9 MiB file (boto3's multipart) and download_file in ranged
 * parts; the normalised transcripts (test/support/s3_clients/boto3_transcript.py says what is left out) are equal.
 */
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'support', 's3_clients', 'boto3_transcript.py');

describe('boto3 against cairn S3 endpoint and moto', () => {
  const moto = new MotoServer();
  let h: EndpointHarness;
  const work = mkdtempSync(path.join(tmpdir(), 'cairn-boto3-'));
  beforeAll(async () => {
    await moto.start();
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
    await moto.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const run = async (endpoint: string, key: string, secret: string, token: string, dir: string): Promise<[string, unknown][]> => {
    const r = await execa(sagemakerPython(), [SCRIPT, endpoint, key, secret, token, dir], { reject: false, all: true });
    if (r.exitCode !== 0) throw new Error(`boto3_transcript.py failed against ${endpoint}:\n${r.all}`);
    return JSON.parse(r.stdout) as [string, unknown][];
  };

  it('the same transcript, multipart upload and ranged download included', async () => {
    const fromMoto = await run(moto.endpoint, 'testing', 'testing', '', mkdtempSync(path.join(work, 'moto-')));
    const c = h.credentials;
    const fromCairn = await run(h.endpoint.loopbackUrl, c.accessKeyId, c.secretAccessKey, c.sessionToken, mkdtempSync(path.join(work, 'cairn-')));
    const differing = fromMoto.flatMap(([step, v], i) => (JSON.stringify(v) === JSON.stringify(fromCairn[i]?.[1]) ? [] : [{ step, moto: v, cairn: fromCairn[i]?.[1] }]));
    expect(differing, JSON.stringify(differing, null, 1)).toEqual([]);
    expect(fromCairn).toContainEqual(['downloaded bytes match', true]);
    expect(fromCairn.find(([s]) => s === 'head big')?.[1]).toMatchObject({ ETag: expect.stringMatching(/^"[0-9a-f]{32}-2"$/), ContentLength: 9 * 1024 * 1024 });
  });
});
