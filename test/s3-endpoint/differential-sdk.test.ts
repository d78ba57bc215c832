import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { MotoServer, MOTO_REGION } from '../cloud/moto-harness.js';
import { startHarness, type EndpointHarness } from './endpoint-harness.js';
import { canonical, RecordingHandler } from './response-recorder.js';
import { runScenario, type TranscriptEntry } from './s3-scenario.js';

/**
 * Differential: the same requests through @aws-sdk/client-s3 to moto and to cairn's endpoint give the same status
 * codes, the same headers clients read and the same XML (what is ignored is listed in response-recorder.ts).
 */
describe('cairn S3 endpoint vs moto through @aws-sdk/client-s3', () => {
  const moto = new MotoServer();
  let h: EndpointHarness;
  const clients: S3Client[] = [];
  const client = (endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, recorder: RecordingHandler): S3Client => {
    const c = new S3Client({ region: MOTO_REGION, endpoint, forcePathStyle: true, credentials, requestHandler: recorder, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    await moto.start();
    h = await startHarness();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await h.close();
    await moto.stop();
  });

  it('every operation, including errors, answers as moto does', async () => {
    const motoRec = new RecordingHandler();
    const cairnRec = new RecordingHandler();
    const fromMoto = await runScenario(client(moto.endpoint, { accessKeyId: 'testing', secretAccessKey: 'testing' }, motoRec), motoRec);
    const fromCairn = await runScenario(client(h.endpoint.loopbackUrl, h.credentials, cairnRec), cairnRec);
    const departures = fromCairn.filter((e) => e.departure !== undefined);
    expect(departures.map((e) => [e.step, e.responses.map((r) => ({ status: r.status, body: r.body }))]))
      .toEqual(departures.map((e) => [e.step, e.departure?.s3]));
    const compared = (t: TranscriptEntry[]): TranscriptEntry[] => t.filter((e) => e.departure === undefined);
    const differ = (a: TranscriptEntry[], b: TranscriptEntry[]): unknown[] =>
      a.flatMap((e, i) => (canonical(e) === canonical(b[i]) ? [] : [{ moto: e, cairn: b[i] }]));
    const differences = differ(compared(fromMoto), compared(fromCairn));
    if (process.env.S3_DIFF_OUT !== undefined) (await import('node:fs')).writeFileSync(process.env.S3_DIFF_OUT, JSON.stringify(differences));
    expect(differences, JSON.stringify(differences, null, 1)).toEqual([]);
    expect(compared(fromCairn).length).toBeGreaterThan(50);
  });
});
