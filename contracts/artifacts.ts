import type { Result } from '../kernel/result.js';
import type { StepFailure } from './step-failure.js';

/**
 * One file of a committed output: path relative to the output's root, and the sha256 of its bytes. A symbolic link the
 * job left in the output (one that stays inside it) is kept as a link: `link` is its target as written, and `hash` /
 * `size` describe the target's text, which the CAS holds like any file (so every entry has a blob to verify).
 */
export interface ManifestEntry {
  path: string;
  hash: string;
  size: number;
  link?: string;
}

/** A step output as committed: where it was placed, and exactly which bytes it holds. */
export interface RecordedOutput {
  /** Output name (ProcessingOutput OutputName, or `model` / `output` for training archives). */
  name: string;
  /** Destination URI as resolved for the execution that produced it (s3://… or file://…). */
  uri: string;
  /** `sha256:<hex>` over the sorted manifest (see cache/hasher.ts). */
  hash: string;
  /** True when `uri` names one file (e.g. model.tar.gz) rather than a prefix. */
  isFile: boolean;
  files: ManifestEntry[];
}

/** How a recorded file is lost: its blob is gone, or holds another size or content than recorded. */
export type LostState = 'missing' | 'damaged';

/** A file of a recorded output that the content store no longer holds as recorded (cache/output-verify.ts). */
export interface LostFile {
  output: string;
  /** The file's manifest path (relative to the output's root; the file name for a one-file output). */
  file: string;
  /** Hex sha256 recorded for it. */
  hash: string;
  state: LostState;
}

export interface InputHash {
  hash: string;
  files: number;
  bytes: number;
}

export interface StageOptions {
  /** False: always copy into the staging directory, never answer with a source directory to mount in place. */
  inPlace?: boolean;
}

/**
 * The embedded object store: `s3://bucket/key` lives at `<home>/s3/bucket/key`, `file:///abs` is the host path.
 * Committed outputs are held in a content-addressed store (`<home>/cas`) and hard-linked into the s3 view.
 * `upstream` lists outputs recorded by upstream executions: an input URI equal to (or under) one of them is served
 * from that output's manifest, so a reused step's data is exactly what it recorded even if its URI was overwritten since.
 */
export interface ArtifactStore {
  readonly home: string;
  /** Host path for a URI, with no I/O; an error names the unsupported scheme. */
  hostPath(uri: string): Result<string, string>;
  /** Content hash of what an input URI points to, with S3Prefix semantics. Re-hashes only files whose size/mtime/inode changed. */
  hashInput(uri: string, upstream: RecordedOutput[]): Promise<Result<InputHash, StepFailure>>;
  /**
   * Makes an input's data available on the host at a path to mount at the container's local path: `stagingDir`
   * filled with private copies (a job may write to them; nothing it does reaches the store or a user's file), or a
   * user's source directory itself, which must then be mounted read-only (`inPlace: false` forbids that). A blob of a
   * recorded output is verified first: a missing or damaged one is an `input-lost` failure. Returns the host path.
   */
  stageInput(uri: string, stagingDir: string, upstream: RecordedOutput[], options?: StageOptions): Promise<Result<{ hostPath: string }, StepFailure>>;
  /**
   * Moves a finished output directory into the content store and places it at `destUri` (atomic renames). Writes no
   * SQLite row. `containerPath`: where the job saw `fromDir` (named when a link in it leads outside it).
   */
  commitDirectory(name: string, fromDir: string, destUri: string, containerPath?: string): Promise<Result<RecordedOutput, StepFailure>>;
  /** Same for one file (e.g. a model.tar.gz) placed exactly at `destUri`. */
  commitFile(name: string, fromFile: string, destUri: string): Promise<Result<RecordedOutput, StepFailure>>;
  /** The files of recorded outputs whose blob is missing or damaged (size, then hash through the stat cache). Reads only. */
  verifyOutputs(outputs: readonly RecordedOutput[]): Promise<LostFile[]>;
  /** Removes the damaged blobs among `lost`, so the producing step's next commit stores the right bytes again. */
  discardDamaged(lost: readonly LostFile[]): Promise<void>;
  /**
   * Re-places from the content store each file of verified outputs whose destination (the `s3/` view, a file:// path)
   * is missing or holds other bytes; returns the host paths re-placed.
   */
  restoreDestinations(outputs: readonly RecordedOutput[]): Promise<Result<string[], StepFailure>>;
}
