import { existsSync } from 'node:fs';
import { LocalArtifactStore } from '../../cache/artifact-store.js';
import { resolveHome } from '../../contracts/home.js';
import { pushText, pushVersion } from '../../cloud/models-push.js';
import { Registry } from '../../registry/registry.js';
import type { ModelPackage } from '../../registry/types.js';
import { comparePackages, packageLineage } from '../../registry/views.js';
import { EXIT, parse, UsageError, type Command } from '../command.js';
import { openReadOnlyStore, openStore } from '../open-store.js';
import { renderCompare, renderGroups, renderLineage, renderList, renderShow } from './models-text.js';

const usage = `usage: cairn models <subcommand> [--json]

The local model registry (RegisterModel steps, and Lambda handlers through context.registry):
  cairn models groups                                  model package groups and their versions by status
  cairn models list <group>                            the versions of a group
  cairn models show <group> <version>                  one version: request, metrics, hashes, approval history
  cairn models compare <group> <version> <version>...  model-quality metrics side by side, the best per metric marked (*)
  cairn models approve <group> <version> [--note N]    PendingManualApproval or Rejected -> Approved (checks the files)
  cairn models reject <group> <version> [--note N]     PendingManualApproval or Approved -> Rejected
  cairn models lineage <group> <version>               the run, its steps' image ids, input/output and code hashes
  cairn models push <group> <version> --bucket B [--region R]
                                                       to SageMaker's registry: the group if missing, the statistics file
                                                       and local model data uploaded to B, CreateModelPackage with the
                                                       same status, description and metadata (standard AWS chain)
Approving re-hashes the version's statistics file and model data and is refused if either is missing or altered.
--json prints the same as JSON. Exit: 0 done, 2 invalid input, unknown group or version, or a refused change.`;

type Handler = (reg: Registry, args: string[], opts: { json: boolean; note?: string; bucket?: string; region?: string }) => Promise<unknown>;

const version = (s: string | undefined): number => {
  const n = Number(s);
  if (s === undefined || !Number.isInteger(n) || n < 1) throw new UsageError(`"${s ?? ''}" is not a version number (1, 2, …)\n\n${usage}`);
  return n;
};
const arity = (args: string[], n: number, min = n): void => {
  if (args.length < min || args.length > n) throw new UsageError(`wrong number of arguments\n\n${usage}`);
};

class Refused extends Error {}
const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Refused(r.error);
  return r.value;
};

const SUB: Record<string, { arity: [number, number]; run: Handler; text: (v: never) => string[] }> = {
  groups: { arity: [0, 0], run: (reg) => Promise.resolve({ groups: reg.groups() }), text: renderGroups },
  list: { arity: [1, 1], run: (reg, [g]) => Promise.resolve({ group: g, versions: unwrap(reg.list(g!)) }), text: renderList },
  show: { arity: [2, 2], run: (reg, [g, v]) => Promise.resolve(unwrap(reg.get(g!, version(v)))), text: renderShow },
  compare: {
    arity: [2, 100],
    run: (reg, [g, ...vs]) => Promise.resolve(comparePackages(g!, vs.map((v) => unwrap(reg.get(g!, version(v)))))),
    text: renderCompare,
  },
  approve: {
    arity: [2, 2],
    run: async (reg, [g, v], o) => {
      const artifacts = new LocalArtifactStore(resolveHome().root, { get: () => undefined, put: () => undefined });
      return unwrap(await reg.approve(g!, version(v), { artifacts, ...(o.note === undefined ? {} : { note: o.note }) }));
    },
    text: (p: ModelPackage) => [`${p.group} version ${p.version}: ${p.status}`],
  },
  reject: {
    arity: [2, 2],
    run: (reg, [g, v], o) => Promise.resolve(unwrap(reg.reject(g!, version(v), o.note === undefined ? {} : { note: o.note }))),
    text: (p: ModelPackage) => [`${p.group} version ${p.version}: ${p.status}`],
  },
  lineage: { arity: [2, 2], run: () => Promise.resolve(undefined), text: renderLineage },
  push: { arity: [2, 2], run: async (reg, [g, v], o) => unwrap(await pushVersion(reg, g!, version(v), { ...o, home: resolveHome().root })), text: pushText },
};

export const modelsCommand: Command = {
  name: 'models',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, { json: { type: 'boolean' }, note: { type: 'string' }, bucket: { type: 'string' }, region: { type: 'string' } }, { min: 1, max: 102 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const [name, ...args] = a.positionals;
    const sub = SUB[name!];
    if (sub === undefined) throw new UsageError(`unknown subcommand "${name ?? ''}"\n\n${usage}`);
    arity(args, sub.arity[1], sub.arity[0]);
    if (a.values.note !== undefined && name !== 'approve' && name !== 'reject') throw new UsageError(`--note is for approve and reject\n\n${usage}`);
    if ((a.values.bucket !== undefined || a.values.region !== undefined) && name !== 'push') throw new UsageError(`--bucket and --region are for push\n\n${usage}`);
    const json = a.values.json === true;
    const home = resolveHome();
    const writes = name === 'approve' || name === 'reject' || name === 'push';
    const store = existsSync(home.db) ? (writes ? openStore(home) : openReadOnlyStore(home)) : undefined;
    try {
      const reg = store === undefined ? undefined : new Registry(store.db);
      let out: unknown;
      try {
        if (reg === undefined) {
          if (name !== 'groups') throw new Refused(`no model package group "${args[0] ?? ''}" (no cairn home at ${home.root}).`);
          out = { groups: [] };
        } else if (name === 'lineage') {
          out = packageLineage(unwrap(reg.get(args[0]!, version(args[1]))), store);
        } else {
          out = await sub.run(reg, args, { json, ...(a.values.note === undefined ? {} : { note: a.values.note }), ...(a.values.bucket === undefined ? {} : { bucket: a.values.bucket }), ...(a.values.region === undefined ? {} : { region: a.values.region }) });
        }
      } catch (e) {
        if (!(e instanceof Refused)) throw e;
        if (json) console.log(JSON.stringify({ error: e.message }));
        console.error(e.message);
        return EXIT.invalid;
      }
      if (json) console.log(JSON.stringify(out));
      else for (const line of sub.text(out as never)) console.log(line);
      return EXIT.ok;
    } finally {
      store?.close();
    }
  },
};
