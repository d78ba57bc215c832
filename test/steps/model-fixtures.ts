import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packDirectoryDeterministic } from '../../steps/deterministic-tar.js';

export const SERVE_IMAGE = 'cairn-local/python-serve:3.11';

/** A float64 vector in NumPy's .npy format (version 1.0), as np.save writes it. */
export function npyVector(values: number[]): Buffer {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${values.length},), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0]).copy(head);
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => data.writeDoubleLE(v, i * 8));
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
}

/** A model.tar.gz holding weights.npy (what examples/quickstart's train.py saves in /opt/ml/model). */
export async function modelTarGz(weights: number[]): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-model-'));
  try {
    mkdirSync(join(dir, 'model'));
    writeFileSync(join(dir, 'model', 'weights.npy'), npyVector(weights));
    await packDirectoryDeterministic(join(dir, 'model'), join(dir, 'model.tar.gz'));
    return readFileSync(join(dir, 'model.tar.gz'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
