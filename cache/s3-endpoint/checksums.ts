import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * The flexible checksums S3 clients send (`x-amz-checksum-<algorithm>`, up front or in an aws-chunked trailer) and
 * read back: computed while the bytes stream, as base64 of the big-endian digest. CRC32 is boto3's and the JS SDK's
 * default; CRC32C, SHA1 and SHA256 are computed too. Another algorithm (CRC64NVME) is kept as the client sent it,
 * unverified.
 */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export function isComputed(algorithm: string): algorithm is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(algorithm);
}

let crc32cTable: Uint32Array | undefined;

function crc32cUpdate(crc: number, data: Buffer): number {
  const table = (crc32cTable ??= makeTable(0x82f63b78));
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = (table[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

function makeTable(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? poly ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

const u32 = (n: number): string => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString('base64');
};

/** One running checksum. */
export class Checksum {
  private crc = 0;
  private readonly hash: Hash | undefined;

  constructor(readonly algorithm: ChecksumAlgorithm) {
    this.hash = algorithm === 'sha1' || algorithm === 'sha256' ? createHash(algorithm) : undefined;
  }

  update(data: Buffer): void {
    if (this.hash !== undefined) this.hash.update(data);
    else if (this.algorithm === 'crc32') this.crc = crc32(data, this.crc);
    else this.crc = crc32cUpdate(this.crc, data);
  }

  /** base64 of the digest (call once). */
  digest(): string {
    return this.hash !== undefined ? this.hash.digest('base64') : u32(this.crc);
  }
}

/** The checksum of whole bytes (tests, multipart composites). */
export function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): string {
  const c = new Checksum(algorithm);
  c.update(data);
  return c.digest();
}

/** S3's composite checksum of a multipart object: the checksum of the parts' raw digests, then `-<parts>`. */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partDigests: readonly string[]): string {
  return `${checksumOf(algorithm, Buffer.concat(partDigests.map((d) => Buffer.from(d, 'base64'))))}-${partDigests.length}`;
}
