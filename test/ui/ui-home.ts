import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { blobPath } from '../../cache/cas.js';
import { insertMetrics } from '../../cache/metric-store.js';
import { Store } from '../../cache/store.js';
import type { RunRecord } from '../../contracts/records.js';
import { resolveHome } from '../../contracts/home.js';
import { Registry } from '../../registry/registry.js';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { decisionWords } from '../../cli/decision-words.js';
import { renderFailure } from '../../cli/render-failure.js';
import { startUiServer, type UiOptions, type UiServer } from '../../ui/server.js';

export const words = { failure: renderFailure, decision: decisionWords };

export const definition = JSON.stringify({
  Version: '2020-12-01', Parameters: [{ Name: 'Lr', Type: 'Float', DefaultValue: 0.1 }],
  Steps: [
    { Name: 'Prep', Type: 'Processing', Arguments: {} },
    { Name: 'Train', Type: 'Training', DependsOn: ['Prep'], Arguments: { HyperParameters: { lr: '0.1' } } },
  ],
});

/** A throw-away cairn home with a store: runs, steps, a log, a recorded output whose bytes are in the CAS, metrics, a model version. */
export interface UiHome {
  root: string;
  db: string;
  store: Store;
  seedRun(runId: string, opts?: { lr?: number; startedAt?: number; status?: RunRecord['status'] }): RunRecord;
  registerModel(description: string, runId?: string): Promise<number>;
  start(opts?: Partial<UiOptions>): Promise<UiServer>;
  close(): Promise<void>;
}

export function openUiHome(): UiHome {
  const root = mkdtempSync(join(tmpdir(), 'cairn-ui-'));
  const home = resolveHome({ CAIRN_HOME: root });
  const store = Store.open(home.db);
  const servers: UiServer[] = [];
  const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
  return {
    root, db: home.db, store,
    seedRun(runId, opts = {}) {
      const startedAt = opts.startedAt ?? 1_700_000_000_000;
      const run: RunRecord = {
        runId, pipeline: 'churn', definitionFile: 'p.json', definition, parameters: { Lr: opts.lr ?? 0.1 }, execution: {},
        options: { noCache: false, rerun: [] }, status: opts.status ?? 'succeeded', startedAt, endedAt: startedAt + 5000,
      };
      store.createRun(run, [{ name: 'Prep', type: 'Processing' }, { name: 'Train', type: 'Training' }]);
      const csv = 'a,b\n1,2\n3,4\n';
      const log = home.attemptDir(runId, 'Prep', 1) + '/log.txt';
      mkdirSync(dirname(log), { recursive: true });
      writeFileSync(log, 'start\n\x1b[32mgreen\x1b[0m\n10%\r50%\r100%\ndone\n');
      store.startAttempt(runId, 'Prep', startedAt, () => log);
      store.finishAttempt(runId, 'Prep', 1, 'succeeded', startedAt + 1000);
      store.commitStepSuccess(runId, 'Prep', {
        fingerprintKey: 'k-prep', fingerprint: JSON.stringify({ inputs: { raw: 'sha256:r' } }), properties: {}, cacheable: true, reused: false, endedAt: startedAt + 1000,
        outputs: [{ name: 'train', uri: `s3://b/${runId}/train`, hash: 'sha256:t', isFile: false, files: [{ path: 'data/a.csv', hash: sha(csv), size: csv.length }] }],
      });
      mkdirSync(dirname(blobPath(root, sha(csv))), { recursive: true });
      writeFileSync(blobPath(root, sha(csv)), csv);
      store.startAttempt(runId, 'Train', startedAt + 1000, (n) => `${home.attemptDir(runId, 'Train', n)}/log.txt`);
      store.finishAttempt(runId, 'Train', 1, 'succeeded', startedAt + 4000);
      store.commitStepSuccess(runId, 'Train', {
        fingerprintKey: `k-train-${opts.lr ?? 0.1}`, fingerprint: JSON.stringify({ arguments: { HyperParameters: { lr: String(opts.lr ?? 0.1) } } }),
        properties: {}, cacheable: true, reused: false, endedAt: startedAt + 4000, outputs: [],
      });
      insertMetrics(store.db, [0.5, 0.6, 0.7].map((value, seq) => ({ runId, step: 'Train', attempt: 1, name: 'acc', seq, value, at: startedAt + seq })));
      if (opts.status !== undefined) store.setRunStatus(runId, opts.status, opts.status === 'running' ? undefined : startedAt + 5000);
      return run;
    },
    async registerModel(description, runId) {
      const reg = new Registry(store.db);
      const r = await reg.createModelPackages([{ ModelPackageGroupName: 'g', ModelPackageDescription: description }], { artifacts: new LocalArtifactStore(root, new MemoryHashCache()), ...(runId === undefined ? {} : { runId }) });
      if (!r.ok) throw new Error(r.error);
      return r.value[0]!.version;
    },
    async start(opts = {}) {
      const s = await startUiServer({ home: { root, db: home.db }, words, pollMs: 50, ...opts });
      servers.push(s);
      return s;
    },
    async close() {
      for (const s of servers) await s.close();
      store.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
