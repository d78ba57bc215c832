import type { LostFile } from '../contracts/artifacts.js';
import { discardDamaged, restoreDestinations, verifyOutputs } from './output-verify.js';
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { err, ok, type Result } from '../kernel/result.js';
import { stepFailure, type StepFailure } from '../contracts/step-failure.js';
import type { S3ReadThrough } from '../contracts/s3-read-through.js';
import type { ArtifactStore, InputHash, RecordedOutput, StageOptions } from '../contracts/artifacts.js';
import { checkBlob } from './blob-check.js';
import { blobPath } from './cas.js';
import { linkOf, stageLink } from './stage-link.js';
import { DEFAULT_HASH_CONCURRENCY, hashFiles, mapLimit, treeHash, type HashCache } from './hasher.js';
import { diskFullFailure } from './disk-full-failure.js';
import { describeIoError, findUpstream, missing, selectInput, type InputSelection } from './input-selection.js';
import { commitDirectory, commitFile } from './output-commit.js';
import { copyPrivate, STAGED_BLOB_MODE } from './stage-copy.js';
import { uriToHostPath } from './uri.js';

const COPY_CONCURRENCY = 16;

/**
 * The embedded object store on local disk (see ArtifactStore and cache/input-selection.ts for input semantics):
 * `<home>/s3/<bucket>/<key>` is the s3 view, `<home>/cas/sha256/<2 hex>/<62 hex>` holds committed bytes (0444),
 * hard-linked into the s3 view (hard links need home and outputs on one filesystem; elsewhere bytes are copied).
 * Inputs from recorded upstream outputs are answered from their manifests; their blobs are verified before staging.
 * A staging directory holds private copies (reflinks where the filesystem allows), never a link to a blob, an `s3/`
 * file or a user's file: a job may write to its inputs without changing what the store holds.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly home: string;

  constructor(
    home: string,
    private readonly hashCache: HashCache,
    /** `--s3-read-through`: asked for an `s3://` input the store lacks (contracts/s3-read-through.ts). */
    private readonly readThrough?: S3ReadThrough,
  ) {
    this.home = path.resolve(home);
  }

  hostPath(uri: string): Result<string, string> {
    return uriToHostPath(this.home, uri);
  }

  verifyOutputs(outputs: readonly RecordedOutput[]): Promise<LostFile[]> {
    return verifyOutputs({ home: this.home, hashCache: this.hashCache }, outputs);
  }

  discardDamaged(lost: readonly LostFile[]): Promise<void> {
    return discardDamaged({ home: this.home, hashCache: this.hashCache }, lost);
  }

  restoreDestinations(outputs: readonly RecordedOutput[]): Promise<Result<string[], StepFailure>> {
    return restoreDestinations({ home: this.home, hashCache: this.hashCache }, outputs);
  }

  async hashInput(uri: string, upstream: RecordedOutput[]): Promise<Result<InputHash, StepFailure>> {
    const selected = await this.select(uri, upstream);
    if (!selected.ok) return selected;
    const sel = selected.value;
    const entries: { path: string; hash: string; size: number; link?: string }[] = [];
    const onHost: { rel: string; path: string }[] = [];
    for (const f of sel.files) {
      if (f.source.kind === 'blob') entries.push({ path: f.rel, hash: f.source.hash, size: f.source.size, ...linkOf(f.source) });
      else onHost.push({ rel: f.rel, path: f.source.path });
    }
    try {
      const hashed = await hashFiles(onHost.map((f) => ({ path: f.path })), this.hashCache);
      hashed.forEach((h, i) => entries.push({ path: (onHost[i] as { rel: string }).rel, hash: h.hash, size: h.size }));
    } catch (e) {
      return err(missing(uri, `Input ${uri} (host path ${sel.hostPath}) could not be hashed: ${describeIoError(e)}.`));
    }
    const bytes = entries.reduce((n, e) => n + e.size, 0);
    return ok({ hash: treeHash(entries), files: entries.length, bytes });
  }

  async stageInput(
    uri: string,
    stagingDir: string,
    upstream: RecordedOutput[],
    options: StageOptions = {},
  ): Promise<Result<{ hostPath: string }, StepFailure>> {
    const selected = await this.select(uri, upstream);
    if (!selected.ok) return selected;
    const sel = selected.value;
    if (sel.wholeDir !== undefined && sel.upstream === undefined && options.inPlace !== false) return ok({ hostPath: sel.wholeDir });
    const root = path.resolve(stagingDir);
    try {
      const lost = await this.lostBlob(sel);
      if (lost !== undefined) return err(lost);
      await mkdir(root, { recursive: true });
      await mapLimit(sel.files, COPY_CONCURRENCY, async (f) => {
        const target = path.join(root, ...f.rel.split('/'));
        if (!target.startsWith(root + path.sep)) throw new Error(`input path ${f.rel} escapes the staging directory`);
        await mkdir(path.dirname(target), { recursive: true });
        if (f.source.kind === 'blob' && f.source.link !== undefined) await stageLink(f.source.link, target);
        else await copyPrivate(this.sourceOf(f.source), target, f.source.kind === 'blob' ? STAGED_BLOB_MODE : undefined);
      });
    } catch (e) {
      return err(diskFullFailure(e, { during: 'staging', path: root, uri }, this.home)
        ?? missing(uri, `Input ${uri} could not be staged in ${root}: ${describeIoError(e)}.`));
    }
    return ok({ hostPath: root });
  }

  commitDirectory(name: string, fromDir: string, destUri: string, containerPath?: string): Promise<Result<RecordedOutput, StepFailure>> {
    return commitDirectory({ home: this.home, hashCache: this.hashCache }, name, fromDir, destUri, containerPath);
  }

  commitFile(name: string, fromFile: string, destUri: string): Promise<Result<RecordedOutput, StepFailure>> {
    return commitFile({ home: this.home, hashCache: this.hashCache }, name, fromFile, destUri);
  }

  /**
   * The one place an input's files are chosen (cache/input-selection.ts). With a read-through, an `s3://` input that
   * is missing from the store and not an upstream output is first fetched from S3 (once: then it is in the store);
   * in a plan it is not fetched, and the failure says what a run would fetch.
   */
  private async select(uri: string, upstream: RecordedOutput[]): Promise<Result<InputSelection, StepFailure>> {
    const first = await selectInput(this.home, uri, upstream);
    const rt = this.readThrough;
    if (first.ok || rt === undefined || first.error.reason !== 'input-missing' || !uri.startsWith('s3://') || findUpstream(uri, upstream) !== undefined) return first;
    const fetched = await rt.readThrough(uri);
    if (!fetched.ok) return err(missing(uri, `Input ${uri} is not in the store, and ${fetched.error}.`));
    if (fetched.value.fetched.length === 0) return first;
    if (rt.dryRun) {
      const bytes = fetched.value.fetched.reduce((n, o) => n + o.size, 0);
      const list = fetched.value.fetched.slice(0, 5).map((o) => o.uri).join(', ') + (fetched.value.fetched.length > 5 ? ', …' : '');
      return err(missing(uri, `Input ${uri} is not in the store; a run with --s3-read-through fetches ${fetched.value.fetched.length} object(s) ` +
        `(${bytes} bytes) from S3 first: ${list}.`));
    }
    return selectInput(this.home, uri, upstream);
  }

  /** The file to copy (a symlink on the host is followed: its target's bytes are staged). */
  private sourceOf(source: InputSelection['files'][number]['source']): string {
    return source.kind === 'blob' ? blobPath(this.home, source.hash) : source.path;
  }

  /**
   * The first file of an input served from a recorded output whose blob is missing or damaged (cache/blob-check.ts),
   * as an `input-lost` failure; each distinct blob is checked once, through the stat cache.
   */
  private async lostBlob(sel: InputSelection): Promise<StepFailure | undefined> {
    const blobs = new Map<string, { rel: string; size: number }>();
    for (const f of sel.files) if (f.source.kind === 'blob' && !blobs.has(f.source.hash)) blobs.set(f.source.hash, { rel: f.rel, size: f.source.size });
    const checks = [...blobs];
    const states = await mapLimit(checks, DEFAULT_HASH_CONCURRENCY, ([hash, b]) => checkBlob(this.home, hash, b.size, this.hashCache));
    const i = states.findIndex((s) => s.state !== 'ok');
    const state = states[i];
    const check = checks[i];
    if (state === undefined || state.state === 'ok' || check === undefined || sel.upstream === undefined) return undefined;
    const [hash, { rel }] = check;
    const { name, uri: outputUri } = sel.upstream;
    return stepFailure('input-lost', { input: '', uri: sel.uri, output: name, outputUri, file: rel, hash, blob: state });
  }
}
