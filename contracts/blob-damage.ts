/** Why a CAS blob no longer holds the bytes its name promises (cache/blob-check.ts finds it; `cairn doctor` reports it). */
export type BlobDamage =
  | { kind: 'not-a-file' }
  | { kind: 'size'; expected: number; actual: number }
  | { kind: 'content'; actualHash: string };
