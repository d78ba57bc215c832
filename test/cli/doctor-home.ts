import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { Store } from '../../cache/store.js';
import type { RecordedOutput } from '../../contracts/artifacts.js';
import { resolveHome, type Home } from '../../contracts/home.js';
import type { RunStatus } from '../../contracts/records.js';
import { makeTemp, writeTree } from '../cache/temp-home.js';

/**
 * A cairn home built by hand for `cairn doctor` tests: runs recorded in cairn.db, outputs committed through the real
 * artifact store (CAS blobs hard-linked into the `s3/` view), and helpers to break it.
 */
export class DoctorHome {
  readonly tmp = makeTemp('cairn-doctor-');
  readonly home: Home = resolveHome({ CAIRN_HOME: path.join(this.tmp.dir, 'home') }, this.tmp.dir);
  private readonly artifacts = new LocalArtifactStore(this.home.root, new MemoryHashCache());
  private clock = 1000;

  /** Records run `runId` with one step per output set, each succeeded (or `reused`) with its outputs committed. */
  async run(runId: string, steps: Record<string, Record<string, string>>, opts: { status?: RunStatus; reused?: boolean } = {}): Promise<RecordedOutput[]> {
    const store = Store.open(this.home.db);
    const all: RecordedOutput[] = [];
    try {
      store.createRun(
        { runId, pipeline: 'p', definitionFile: 'p.json', definition: '{}', parameters: {}, execution: {}, options: { noCache: false, rerun: [] }, status: opts.status ?? 'succeeded', startedAt: this.clock },
        Object.keys(steps).map((name) => ({ name, type: 'Processing' })),
      );
      mkdirSync(this.home.runDir(runId), { recursive: true });
      for (const [step, files] of Object.entries(steps)) {
        const out = path.join(this.tmp.dir, `out-${runId}-${step}`);
        writeTree(out, files);
        const r = await this.artifacts.commitDirectory('out', out, `s3://bucket/${runId}/${step}/out`);
        if (!r.ok) throw new Error(JSON.stringify(r.error));
        all.push(r.value);
        store.commitStepSuccess(runId, step, {
          fingerprintKey: `k-${step}`, fingerprint: '{}', properties: {}, outputs: [r.value], cacheable: true,
          reused: opts.reused ?? false, endedAt: ++this.clock,
        });
      }
    } finally {
      store.close();
    }
    return all;
  }

  /** Records output `rec` again for a step of another run (as a reused step's record). */
  async reusedRun(runId: string, step: string, rec: RecordedOutput): Promise<void> {
    const store = Store.open(this.home.db);
    try {
      store.createRun(
        { runId, pipeline: 'p', definitionFile: 'p.json', definition: '{}', parameters: {}, execution: {}, options: { noCache: false, rerun: [] }, status: 'succeeded', startedAt: this.clock },
        [{ name: step, type: 'Processing' }],
      );
      store.commitStepSuccess(runId, step, {
        fingerprintKey: `k-${step}`, fingerprint: '{}', properties: {}, outputs: [rec], cacheable: true, reused: true, reusedFrom: 'r1', endedAt: ++this.clock,
      });
    } finally {
      store.close();
    }
  }

  s3(rel: string): string {
    return path.join(this.home.root, 's3', rel);
  }

  write(rel: string, content: string): string {
    const p = path.join(this.home.root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
    return p;
  }

  withStore<T>(fn: (s: Store) => T): T {
    const s = Store.open(this.home.db);
    try {
      return fn(s);
    } finally {
      s.close();
    }
  }

  dispose(): void {
    this.tmp.cleanup();
  }
}
