/** Plain (non-TTY) progress lines are at most this frequent, except the last. */
const PLAIN_INTERVAL_MS = 2_000;

/**
 * The progress of `cairn pull` (objects fetched from S3): on a terminal one bar redrawn in place,
 * `fetching [#######-------]  48%  12.0/25.0 MB  3/7 objects`; otherwise that line at most every 2 s, and once at the end.
 */
export class ObjectProgress {
  private total = { objects: 0, bytes: 0 };
  private done = { objects: 0, bytes: 0 };
  private lastPlain = 0;

  constructor(private readonly out: NodeJS.WriteStream, private readonly live = out.isTTY === true && process.env.TERM !== 'dumb') {}

  planned(objects: readonly { size: number }[]): void {
    this.total = { objects: objects.length, bytes: objects.reduce((n, o) => n + o.size, 0) };
    if (objects.length > 0) this.show(true);
  }

  bytes(n: number): void {
    this.done.bytes += n;
    this.show(false);
  }

  fetched(): void {
    this.done.objects++;
    this.show(this.done.objects === this.total.objects);
  }

  /** Ends the live line (a newline after the bar). */
  finish(): void {
    if (this.live && this.total.objects > 0) this.out.write('\n');
  }

  line(width = 20): string {
    const frac = this.total.bytes > 0 ? Math.min(1, this.done.bytes / this.total.bytes) : this.done.objects / Math.max(1, this.total.objects);
    const filled = Math.round(frac * width);
    return `fetching [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]  ${String(Math.floor(frac * 100)).padStart(3)}%  ` +
      `${mb(this.done.bytes)}/${mb(this.total.bytes)} MB  ${this.done.objects}/${this.total.objects} objects`;
  }

  private show(force: boolean): void {
    if (this.live) { this.out.write(`\r${this.line()}`); return; }
    const now = Date.now();
    if (!force && now - this.lastPlain < PLAIN_INTERVAL_MS) return;
    this.lastPlain = now;
    this.out.write(`${this.line()}\n`);
  }
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
