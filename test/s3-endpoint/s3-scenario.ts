import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteObjectCommand, DeleteObjectsCommand, GetBucketLocationCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand,
  ListBucketsCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand, UploadPartCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { clientHeaders, normaliseXml, type RecordingHandler } from './response-recorder.js';

/**
 * One sequence of S3 requests, run against a server through @aws-sdk/client-s3, returned as a transcript of what
 * went over the wire for each step (status, the headers clients read, the XML body parsed, or the object's bytes).
 * Two servers given the same sequence must give the same transcript.
 */
export const BUCKET = 'cairn-diff-bucket';
export const PART = 5 * 1024 * 1024;

export interface TranscriptEntry {
  step: string;
  departure?: MotoDeparture;
  responses: { status: number; headers: Record<string, string>; body: unknown }[];
}

/**
 * A step: its name, what it sends, and, where moto departs from S3's documented behaviour, what S3 answers instead
 * (the status and error code, or the XML): cairn's answer is then checked against that, not against moto's.
 */
type Step = [string, (s3: S3Client, state: Record<string, string>) => Promise<unknown>, MotoDeparture?];

export interface MotoDeparture {
  why: string;
  s3: { status: number; body: unknown }[];
}

const noSuchUpload = (why: string): MotoDeparture => ({
  why,
  s3: [{ status: 404, body: { Error: { Code: 'NoSuchUpload', Message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', UploadId: '<ignored>', RequestId: '<ignored>', HostId: '<ignored>' } } }],
});

const big = Buffer.alloc(PART, 7);
const big2 = Buffer.alloc(PART, 9);
const binary = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));

const get = (Key: string, extra: Record<string, unknown> = {}): Step[1] => async (s3) => {
  const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key, ...extra }));
  await r.Body?.transformToByteArray();
};

export const SCENARIO: Step[] = [
  ['CreateBucket', (s3) => s3.send(new CreateBucketCommand({ Bucket: BUCKET }))],
  ['HeadBucket', (s3) => s3.send(new HeadBucketCommand({ Bucket: BUCKET }))],
  ['GetBucketLocation', (s3) => s3.send(new GetBucketLocationCommand({ Bucket: BUCKET }))],
  ['ListBuckets', (s3) => s3.send(new ListBucketsCommand({}))],
  ['PutObject text', (s3) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'a.txt', Body: 'hello world', ContentType: 'text/plain', Metadata: { purpose: 'diff' } }))],
  ['PutObject binary', (s3) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'z.bin', Body: binary }))],
  ...['dir/one.csv', 'dir/two.csv', 'dir/sub/three.csv', 'dir-x', 'dir/sub/deeper/four.csv', 'other/five.csv'].map((Key): Step =>
    [`PutObject ${Key}`, (s3) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: `${Key}\n`, ContentType: 'text/csv' }))]),
  ['HeadObject', (s3) => s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }))],
  ['GetObject', get('a.txt')],
  ['GetObject binary', get('z.bin')],
  ['GetObject checksum mode', get('a.txt', { ChecksumMode: 'ENABLED' })],
  ...['bytes=0-4', 'bytes=6-', 'bytes=-3', 'bytes=3-100', 'bytes=69990-', 'bytes=10-10'].map((Range): Step => [`GetObject Range ${Range}`, get(Range.includes('699') ? 'z.bin' : 'a.txt', { Range })]),
  ['GetObject Range past the end', get('a.txt', { Range: 'bytes=20-' })],
  ['GetObject If-None-Match', async (s3) => {
    const h = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }));
    return get('a.txt', { IfNoneMatch: h.ETag })(s3, {});
  }],
  ['GetObject If-Match other', get('a.txt', { IfMatch: '"0123456789abcdef0123456789abcdef"' })],
  ['GetObject missing', get('no/such/key.csv')],
  ['HeadObject missing', (s3) => s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'no/such/key.csv' }))],
  ['ListObjectsV2', (s3) => s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))],
  ['ListObjectsV2 prefix', (s3) => s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'dir/' }))],
  ['ListObjectsV2 delimiter', (s3) => s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/' }))],
  ['ListObjectsV2 prefix+delimiter', (s3) => s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'dir/', Delimiter: '/' }))],
  ['ListObjectsV2 start-after', (s3) => s3.send(new ListObjectsV2Command({ Bucket: BUCKET, StartAfter: 'dir/one.csv' }))],
  ['ListObjectsV2 pages of 2', async (s3) => {
    let token: string | undefined;
    do {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 2, ...(token !== undefined ? { ContinuationToken: token } : {}) }));
      token = r.NextContinuationToken;
    } while (token !== undefined);
  }],
  ['ListObjectsV2 pages of 2 with delimiter', async (s3) => {
    let token: string | undefined;
    do {
      const r = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, MaxKeys: 2, Delimiter: '/', ...(token !== undefined ? { ContinuationToken: token } : {}) }));
      token = r.NextContinuationToken;
    } while (token !== undefined);
  }],
  ['ListObjects v1', (s3) => s3.send(new ListObjectsCommand({ Bucket: BUCKET }))],
  ['ListObjects v1 marker', (s3) => s3.send(new ListObjectsCommand({ Bucket: BUCKET, Marker: 'dir/sub/', MaxKeys: 3 }))],
  ['CopyObject', (s3) => s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy/a.txt', CopySource: `${BUCKET}/a.txt` }))],
  ['GetObject the copy', get('copy/a.txt')],
  ['CopyObject onto itself', (s3) => s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'a.txt', CopySource: `${BUCKET}/a.txt` }))],
  ['CopyObject missing source', (s3) => s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy/none', CopySource: `${BUCKET}/none` }))],
  ['CreateMultipartUpload', async (s3, st) => {
    st.upload = (await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'multi/big.bin', ContentType: 'application/x-big' }))).UploadId ?? '';
  }],
  ['UploadPart 1', async (s3, st) => { st.e1 = (await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'multi/big.bin', UploadId: st.upload, PartNumber: 1, Body: big }))).ETag ?? ''; }],
  ['UploadPart 2', async (s3, st) => { st.e2 = (await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'multi/big.bin', UploadId: st.upload, PartNumber: 2, Body: big2 }))).ETag ?? ''; }],
  ['UploadPart 3', async (s3, st) => { st.e3 = (await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'multi/big.bin', UploadId: st.upload, PartNumber: 3, Body: 'tail' }))).ETag ?? ''; }],
  ['CompleteMultipartUpload', (s3, st) => s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'multi/big.bin', UploadId: st.upload,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: st.e1 }, { PartNumber: 2, ETag: st.e2 }, { PartNumber: 3, ETag: st.e3 }] },
  }))],
  ['CompleteMultipartUpload parts out of order', async (s3) => {
    const Key = 'multi/order.bin';
    const UploadId = (await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }))).UploadId ?? '';
    const e1 = (await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber: 1, Body: big }))).ETag;
    const e2 = (await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber: 2, Body: big2 }))).ETag;
    await s3.send(new CompleteMultipartUploadCommand({
      Bucket: BUCKET, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: e2 }, { PartNumber: 1, ETag: e1 }] },
    })).catch(() => s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key, UploadId })));
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key })); // moto completed it: gone again on both
  }, {
    why: 'moto completes an upload whose parts are listed out of order; S3 refuses it (InvalidPartOrder)',
    s3: [
      { status: 200, body: { InitiateMultipartUploadResult: { Bucket: BUCKET, Key: 'multi/order.bin', UploadId: '<ignored>' } } },
      { status: 200, body: '' }, { status: 200, body: '' },
      { status: 400, body: { Error: { Code: 'InvalidPartOrder', Message: 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', RequestId: '<ignored>', HostId: '<ignored>' } } },
      { status: 204, body: '' }, { status: 204, body: '' },
    ],
  }],
  ['HeadObject multipart', (s3) => s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'multi/big.bin' }))],
  ['GetObject multipart range', get('multi/big.bin', { Range: `bytes=${PART - 2}-` })],
  ['UploadPart unknown upload', (s3) => s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'multi/big.bin', UploadId: 'no-such-upload', PartNumber: 1, Body: 'x' })),
    noSuchUpload('moto answers 500 (an internal error) for a part of an upload it does not know')],
  ['CompleteMultipartUpload unknown upload', (s3) => s3.send(new CompleteMultipartUploadCommand({
    Bucket: BUCKET, Key: 'multi/big.bin', UploadId: 'no-such-upload', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"x"' }] },
  })), noSuchUpload('moto answers 500 (an internal error) when completing an upload it does not know')],
  ['AbortMultipartUpload unknown upload', (s3) => s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'multi/big.bin', UploadId: 'no-such-upload' }))],
  ['multipart with a small first part', async (s3, st) => {
    const id = (await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'multi/small.bin' }))).UploadId ?? '';
    st.small = id;
    const e1 = (await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'multi/small.bin', UploadId: id, PartNumber: 1, Body: 'small' }))).ETag;
    const e2 = (await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'multi/small.bin', UploadId: id, PartNumber: 2, Body: 'parts' }))).ETag;
    await s3.send(new CompleteMultipartUploadCommand({
      Bucket: BUCKET, Key: 'multi/small.bin', UploadId: id, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1 }, { PartNumber: 2, ETag: e2 }] },
    }));
  }],
  ['AbortMultipartUpload', (s3, st) => s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'multi/small.bin', UploadId: st.small }))],
  ['UploadPart after abort', (s3, st) => s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'multi/small.bin', UploadId: st.small, PartNumber: 3, Body: 'x' })),
    noSuchUpload('moto answers 500 (an internal error) for a part of an aborted upload')],
  ['GetObject never completed', get('multi/small.bin')],
  ['DeleteObject', (s3) => s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'a.txt' }))],
  ['GetObject deleted', get('a.txt')],
  ['DeleteObject missing', (s3) => s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'never/there' }))],
  ['DeleteObjects', (s3) => s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'dir/one.csv' }, { Key: 'never/there' }] } }))],
  ['DeleteObjects quiet', (s3) => s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Quiet: true, Objects: [{ Key: 'dir/two.csv' }] } })), {
    why: 'moto lists the deleted keys in quiet mode too; S3 lists only the errors', s3: [{ status: 200, body: { DeleteResult: {} } }],
  }],
  ['ListObjectsV2 after deletes', (s3) => s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))],
];

const OBJECT_READS = /^(GetObject|HeadObject)/;

export async function runScenario(s3: S3Client, recorder: RecordingHandler, steps: readonly Step[] = SCENARIO): Promise<TranscriptEntry[]> {
  const state: Record<string, string> = {};
  const out: TranscriptEntry[] = [];
  for (const [step, run, departure] of steps) {
    const from = recorder.responses.length;
    await run(s3, state).catch(() => undefined);
    out.push({
      step, ...(departure !== undefined ? { departure } : {}),
      responses: recorder.responses.slice(from).map((r) => ({
        status: r.status,
        headers: clientHeaders(r, OBJECT_READS.test(step)),
        body: OBJECT_READS.test(step) && r.status < 300 ? r.body.toString('latin1').slice(0, 64) : normaliseXml(r.body),
      })),
    });
  }
  return out;
}
