import type { LostFile } from '../contracts/artifacts.js';
import { discardDamaged, restoreDestinations, verifyOutputs } from './output-verify.js';
import path from 'node:path';
import { mkdir, realpath } from 'node:fs/promises';
import { err, ok, type Result } from '../kernel/result.js';
import type { StepFailure } from '../contracts/step-failure.js';
import type { ArtifactStore, InputHash, RecordedOutput } from '../contracts/artifacts.js';
import { blobPath, linkOrCopy } from './cas.js';
import { hashFiles, mapLimit, treeHash, type HashCache } from './hasher.js';
import { describeIoError, missing, selectInput, type InputSelection } from './input-selection.js';
import { commitDirectory, commitFile } from './output-commit.js';
import { uriToHostPath } from './uri.js';

const LINK_CONCURRENCY = 16;

/**
 * The embedded object store on local disk (see ArtifactStore and cache/input-selection.ts for input semantics):
 * `<home>/s3/<bucket>/<key>` is the s3 view, `<home>/cas/sha256/<2 hex>/<62 hex>` holds committed bytes (0444),
 * hard-linked into the s3 view and into staging directories. Inputs from recorded upstream outputs are answered from
 * their manifests. Hard links need home, staging dirs and outputs on one filesystem; elsewhere bytes are copied.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly home: string;

  constructor(
    home: string,
    private readonly hashCache: HashCache,
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
    const selected = await selectInput(this.home, uri, upstream);
    if (!selected.ok) return selected;
    const sel = selected.value;
    const entries: { path: string; hash: string; size: number }[] = [];
    const onHost: { rel: string; path: string }[] = [];
    for (const f of sel.files) {
      if (f.source.kind === 'blob') entries.push({ path: f.rel, hash: f.source.hash, size: f.source.size });
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
  ): Promise<Result<{ hostPath: string }, StepFailure>> {
    const selected = await selectInput(this.home, uri, upstream);
    if (!selected.ok) return selected;
    const sel = selected.value;
    if (sel.wholeDir !== undefined && sel.upstream === undefined) return ok({ hostPath: sel.wholeDir });
    const root = path.resolve(stagingDir);
    try {
      await mkdir(root, { recursive: true });
      await mapLimit(sel.files, LINK_CONCURRENCY, async (f) => {
        const target = path.join(root, ...f.rel.split('/'));
        if (!target.startsWith(root + path.sep)) throw new Error(`input path ${f.rel} escapes the staging directory`);
        await mkdir(path.dirname(target), { recursive: true });
        await linkOrCopy(await this.sourceOf(f.source), target);
      });
    } catch (e) {
      return err(missing(uri, `Input ${uri} could not be staged in ${root}: ${this.stageCause(e, sel)}.`));
    }
    return ok({ hostPath: root });
  }

  commitDirectory(name: string, fromDir: string, destUri: string): Promise<Result<RecordedOutput, StepFailure>> {
    return commitDirectory({ home: this.home, hashCache: this.hashCache }, name, fromDir, destUri);
  }

  commitFile(name: string, fromFile: string, destUri: string): Promise<Result<RecordedOutput, StepFailure>> {
    return commitFile({ home: this.home, hashCache: this.hashCache }, name, fromFile, destUri);
  }

  private async sourceOf(source: InputSelection['files'][number]['source']): Promise<string> {
    if (source.kind === 'blob') return blobPath(this.home, source.hash);
    // link(2) does not follow a symlink in the last component: link what it points to.
    return source.isLink ? realpath(source.path) : source.path;
  }

  private stageCause(e: unknown, sel: InputSelection): string {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && sel.upstream !== undefined) {
      return `the content store lacks a file recorded for output "${sel.upstream.name}" (${describeIoError(e)})`;
    }
    return describeIoError(e);
  }
}
