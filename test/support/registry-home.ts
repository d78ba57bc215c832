import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { MemoryHashCache } from '../../cache/hasher.js';
import { Store } from '../../cache/store.js';
import { Registry, type RegistrationContext } from '../../registry/registry.js';

/** A throw-away cairn home with a store, its registry and a local artifact store (registry tests). */
export interface RegistryHome {
  home: string;
  store: Store;
  reg: Registry;
  artifacts: LocalArtifactStore;
  /** Writes `body` at s3://`key` of the home. */
  put(key: string, body: string): void;
  /** Registers one package per description in group `g`; the versions it got. */
  versions(descriptions: string[], ctx: Omit<RegistrationContext, 'artifacts'>): Promise<number[]>;
  close(): void;
}

export const packageRequest = (description: string) => ({ ModelPackageGroupName: 'g', ModelPackageDescription: description });

export function openRegistryHome(): RegistryHome {
  const home = mkdtempSync(join(tmpdir(), 'cairn-registry-'));
  const store = Store.open(join(home, 'cairn.db'));
  const reg = new Registry(store.db);
  const artifacts = new LocalArtifactStore(home, new MemoryHashCache());
  return {
    home, store, reg, artifacts,
    put(key, body) {
      const p = join(home, 's3', key);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, body);
    },
    async versions(descriptions, ctx) {
      const r = await reg.createModelPackages(descriptions.map(packageRequest), { artifacts, ...ctx });
      if (!r.ok) throw new Error(r.error);
      return r.value.map((p) => p.version);
    },
    close() { store.close(); rmSync(home, { recursive: true, force: true }); },
  };
}
