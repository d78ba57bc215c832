import type { PullProgress } from '../contracts/container-runtime.js';

interface Layer {
  current: number;
  total: number;
  done: boolean;
}

/** Plain (non-TTY) pull lines per image are at most this frequent, except the first and the last. */
const PLAIN_INTERVAL_MS = 2_000;

/**
 * One image's pull, from Docker's progress lines: bytes summed over layers (download, then extract is not counted
 * twice: a layer counts as done once "Download complete" / "Pull complete" / "Already exists"), layer counts, last
 * status. `line()` renders it compactly: `pulling <image>  [#####-----]  42%  120.5/287.0 MB  3/7 layers`.
 */
export class PullTracker {
  private readonly layers = new Map<string, Layer>();
  private status = '';
  private lastPlain = 0;
  private printedFinal = false;

  constructor(readonly image: string) {}

  update(p: PullProgress): void {
    this.status = p.status;
    if (p.id === undefined || !isLayerStatus(p.status)) return;
    let layer = this.layers.get(p.id);
    if (layer === undefined) this.layers.set(p.id, (layer = { current: 0, total: 0, done: false }));
    if (p.status === 'Downloading') {
      if (p.total !== undefined && p.total > 0) layer.total = p.total;
      if (p.current !== undefined) layer.current = p.current;
    } else if (p.status === 'Download complete' || p.status === 'Pull complete' || p.status === 'Already exists' || p.status === 'Extracting') {
      layer.done = true;
      layer.current = layer.total;
    }
  }

  /** Docker's last line of a pull: `Status: Downloaded newer image for …` / `Status: Image is up to date for …`. */
  get finished(): boolean {
    return this.status.startsWith('Status: ');
  }

  totals(): { current: number; total: number; layers: number; done: number } {
    let current = 0;
    let total = 0;
    let done = 0;
    for (const l of this.layers.values()) {
      current += l.current;
      total += l.total;
      if (l.done) done++;
    }
    return { current, total, layers: this.layers.size, done };
  }

  /** The compact one-line view (a bar when sizes are known). */
  line(width = 20): string {
    const t = this.totals();
    const parts = [`pulling ${this.image}`];
    if (t.total > 0) {
      const frac = Math.min(1, t.current / t.total);
      const filled = Math.round(frac * width);
      parts.push(`[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`, `${String(Math.floor(frac * 100)).padStart(3)}%`, `${mb(t.current)}/${mb(t.total)} MB`);
    }
    if (t.layers > 0) parts.push(`${t.done}/${t.layers} layers`);
    else if (this.status !== '') parts.push(this.status);
    return parts.join('  ');
  }

  /** For plain output: the line to print now, or undefined when one was printed less than 2 s ago (first and last always print). */
  plainLine(now = Date.now()): string | undefined {
    if (this.finished) {
      if (this.printedFinal) return undefined;
      this.printedFinal = true;
      return `pulled ${this.image}: ${this.status.slice('Status: '.length)}`;
    }
    if (this.lastPlain !== 0 && now - this.lastPlain < PLAIN_INTERVAL_MS) return undefined;
    this.lastPlain = now;
    return this.line();
  }
}

function isLayerStatus(status: string): boolean {
  return ['Pulling fs layer', 'Waiting', 'Downloading', 'Verifying Checksum', 'Download complete', 'Extracting', 'Pull complete', 'Already exists'].includes(status);
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
