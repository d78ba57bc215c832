import { appendKey } from '../../kernel/json-path.js';
import type { JsonObject } from '../../kernel/json.js';
import { checkReferences, type Mention } from './check-references.js';
import type { DiagnosticSink } from './diagnostic-sink.js';
import { findCycles } from './graph.js';
import type { StepDef } from '../../contracts/definition.js';
import type { StepDraft } from './read-steps.js';
import type { ReferenceScope } from './reference-scope.js';
import type { Position } from './source-map.js';
import type { ReferencedStep } from './step-properties.js';
import { didYouMean } from '../../kernel/suggest.js';

/**
 * Checks every reference and DependsOn, works out each step's dependencies (explicit and implicit, in the order they
 * are written in the file) and reports cycles. Returns the steps that have a usable name.
 */
export function resolveDependencies(
  root: JsonObject,
  drafts: readonly StepDraft[],
  parameters: ReadonlySet<string>,
  sink: DiagnosticSink,
  locate: (path: string) => Position,
): StepDef[] {
  const steps = new Map<string, ReferencedStep>();
  for (const d of drafts) {
    if (d.name === undefined || !d.unique) continue;
    const propertyFileNames = (d.propertyFiles ?? []).map((f) => f.propertyFileName);
    steps.set(d.name, { name: d.name, type: d.type ?? '', arguments: d.args ?? {}, propertyFileNames });
  }
  const scope: ReferenceScope = { parameters, steps };
  if (root.PipelineExperimentConfig !== undefined) {
    checkReferences(root.PipelineExperimentConfig, 'PipelineExperimentConfig', undefined, scope, sink);
  }

  const defs: StepDef[] = [];
  for (const d of drafts) {
    const implicit = d.args === undefined ? [] : checkReferences(d.args, appendKey(d.path, 'Arguments'), d.name, scope, sink, branchSkipper(d));
    for (const e of d.explicitDependsOn) {
      if (!steps.has(e.name)) {
        sink.report(e.path, 'unknown-step', `DependsOn names unknown step "${e.name}"${didYouMean(e.name, steps.keys())}`, d.name);
      }
    }
    if (d.name === undefined || !d.unique) continue;
    const explicit = d.explicitDependsOn.filter((e) => steps.has(e.name));
    defs.push(toStepDef(d, d.name, explicit, inFileOrder([...explicit, ...implicit], locate)));
  }

  const pathOf = new Map(defs.map((s) => [s.name, s.path]));
  for (const cycle of findCycles({ steps: defs })) {
    const first = cycle[0] as string;
    const at = pathOf.get(first) ?? 'Steps';
    sink.report(at, 'cycle', `steps form a cycle: ${[...cycle, first].join(' → ')}`, first);
  }
  return defs;
}

function branchSkipper(d: StepDraft): ((path: string) => boolean) | undefined {
  if (d.type !== 'Condition') return undefined;
  const args = appendKey(d.path, 'Arguments');
  const branches = new Set([appendKey(args, 'IfSteps'), appendKey(args, 'ElseSteps')]);
  return (path) => branches.has(path);
}

function inFileOrder(mentions: Mention[], locate: (path: string) => Position): string[] {
  const names = new Set(mentions.map((m) => m.name));
  if (names.size <= 1) return [...names]; // one name has one order: no need to find where each mention is
  const placed = mentions.map((m, i) => ({ name: m.name, pos: locate(m.path), i }));
  placed.sort((a, b) => a.pos.line - b.pos.line || a.pos.column - b.pos.column || a.i - b.i);
  return [...new Set(placed.map((p) => p.name))];
}

function toStepDef(d: StepDraft, name: string, explicit: Mention[], dependsOn: string[]): StepDef {
  const def: StepDef = {
    name,
    type: d.type ?? '',
    arguments: d.args ?? {},
    dependsOn,
    explicitDependsOn: [...new Set(explicit.map((e) => e.name))],
    path: d.path,
    raw: d.raw,
  };
  if (d.displayName !== undefined) def.displayName = d.displayName;
  if (d.description !== undefined) def.description = d.description;
  if (d.cacheConfig !== undefined) def.cacheConfig = d.cacheConfig;
  if (d.retryPolicies !== undefined) def.retryPolicies = d.retryPolicies;
  if (d.propertyFiles !== undefined) def.propertyFiles = d.propertyFiles;
  if (d.branchOf !== undefined) def.branchOf = d.branchOf;
  return def;
}
