import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A small ext4 filesystem on a loop device, mounted at `dir` (tests run as root on this machine): a disk that fills
 * up for real. No reserved blocks (`-m 0`), so root fills it as any user would. `unmount` detaches it and deletes
 * the image. Throws a clear error when it cannot be made: such a test fails, it is never skipped.
 */
export class SmallFs {
  readonly dir: string;
  private readonly image: string;
  private readonly base: string;

  constructor(sizeMiB: number) {
    this.base = mkdtempSync(path.join(os.tmpdir(), 'cairn-small-fs-'));
    this.image = path.join(this.base, 'fs.img');
    this.dir = path.join(this.base, 'mnt');
    mkdirSync(this.dir);
    try {
      execFileSync('truncate', ['-s', `${sizeMiB}M`, this.image]);
      execFileSync('mkfs.ext4', ['-q', '-F', '-m', '0', this.image], { stdio: 'pipe' });
      execFileSync('mount', ['-o', 'loop', this.image, this.dir], { stdio: 'pipe' });
    } catch (e) {
      rmSync(this.base, { recursive: true, force: true });
      throw new Error(`cannot make a small loop-mounted ext4 filesystem (needs root, mkfs.ext4 and loop devices): ${(e as Error).message}`, { cause: e });
    }
  }

  /** Bytes free on it (statfs). */
  free(): number {
    const s = statfsSync(this.dir);
    return s.bavail * s.bsize;
  }

  /** Fills it to the last block with `<dir>/<name>` (real blocks, written and synced); returns that file's path. */
  fill(name = 'filler'): string {
    const file = path.join(this.dir, name);
    // Twice: ext4 reserves blocks for delayed allocation generously, and gives some back once the data is synced.
    for (let pass = 0; pass < 2; pass++) {
      const fd = openSync(file, 'a');
      try {
        for (let size = 1 << 20; size >= 512;) {
          try {
            writeSync(fd, Buffer.alloc(size));
          } catch {
            size /= 2;
          }
        }
      } finally {
        closeSync(fd);
      }
      execFileSync('sync');
    }
    return file;
  }

  unmount(): void {
    execFileSync('umount', [this.dir], { stdio: 'pipe' });
    rmSync(this.base, { recursive: true, force: true });
  }
}
