import type { GroupSummary, ModelPackage } from '../../registry/types.js';
import type { Comparison, Lineage } from '../../registry/views.js';
import { statisticsMetrics } from '../../registry/views.js';

const when = (ms: number): string => new Date(ms).toISOString();

export function renderGroups(o: { groups: GroupSummary[] }): string[] {
  if (o.groups.length === 0) return ['no model package groups (register one with a RegisterModel step)'];
  const w = Math.max(5, ...o.groups.map((g) => g.name.length));
  return [`${'GROUP'.padEnd(w)}  VERSIONS  LATEST  PENDING  APPROVED  REJECTED`,
    ...o.groups.map((g) => `${g.name.padEnd(w)}  ${String(g.versions).padStart(8)}  ${String(g.latestVersion).padStart(6)}  ${String(g.byStatus.PendingManualApproval).padStart(7)}  ${String(g.byStatus.Approved).padStart(8)}  ${String(g.byStatus.Rejected).padStart(8)}`)];
}

export function renderList(o: { group: string; versions: ModelPackage[] }): string[] {
  return [`group ${o.group}`, 'VERSION  STATUS                 CREATED                   RUN / DESCRIPTION',
    ...o.versions.map((p) => `${String(p.version).padStart(7)}  ${p.status.padEnd(21)}  ${when(p.createdAt)}  ${p.runId ?? '-'}  ${p.description ?? ''}`)];
}

export function renderShow(p: ModelPackage): string[] {
  const lines = [`${p.group} version ${p.version}  ${p.arn}`, `  status       ${p.status}`, `  created      ${when(p.createdAt)}`];
  if (p.description !== undefined) lines.push(`  description  ${p.description}`);
  if (p.runId !== undefined) lines.push(`  run          ${p.runId} (step ${p.step ?? '?'})`);
  for (const [k, v] of Object.entries(p.customerMetadata)) lines.push(`  metadata     ${k} = ${v}`);
  if (p.modelData !== undefined) lines.push(`  model data   ${p.modelData.url}  ${p.modelData.hash}`);
  if (p.statistics !== undefined) lines.push(`  statistics   ${p.statistics.uri}  ${p.statistics.sha256}`);
  for (const [k, v] of Object.entries(statisticsMetrics(p.statistics?.content))) lines.push(`  metric       ${k} = ${v}`);
  for (const a of p.approvals) lines.push(`  history      ${when(a.at)}  ${a.from ?? '(registered)'} -> ${a.to}  by ${a.who}${a.note === undefined ? '' : `  "${a.note}"`}`);
  return lines;
}

export function renderCompare(c: Comparison): string[] {
  if (c.metrics.length === 0) return [`${c.group}: the versions have no model-quality metrics to compare`];
  const w = Math.max(6, ...c.metrics.map((m) => m.length));
  const head = `${'METRIC'.padEnd(w)}  ${c.versions.map((v) => `v${v.version}`.padStart(12)).join('  ')}`;
  const rows = c.metrics.map((m) => `${m.padEnd(w)}  ${c.versions.map((v) => {
    const x = v.metrics[m];
    const mark = c.best[m]?.versions.includes(v.version) === true ? '*' : ' ';
    return `${x === undefined ? '-' : String(Number(x.toPrecision(6)))}${mark}`.padStart(12);
  }).join('  ')}`);
  return [`group ${c.group} (* best; lower is better for losses and errors)`, head, ...rows];
}

export function renderLineage(l: Lineage): string[] {
  const lines = [`${l.group} version ${l.version}  ${l.arn}`];
  if (l.modelData !== undefined) lines.push(`  model data  ${l.modelData.url}  ${l.modelData.hash}`);
  if (l.statistics !== undefined) lines.push(`  statistics  ${l.statistics.uri}  ${l.statistics.sha256}`);
  if (l.run === undefined) return [...lines, '  registered outside a run'];
  lines.push(`  run ${l.run.runId} (pipeline ${l.run.pipeline}, ${l.run.status}, started ${when(l.run.startedAt)}), registered by step ${l.step ?? '?'}`);
  for (const s of l.steps) {
    lines.push(`  ${s.name} (${s.type}${s.reusedFrom === undefined ? '' : `, reused from run ${s.reusedFrom}`})${s.image === undefined ? '' : `  image ${s.image.uri} ${s.image.id}`}`);
    for (const [k, v] of Object.entries(s.code)) lines.push(`    code    ${k}  ${v}`);
    for (const [k, v] of Object.entries(s.inputs)) if (!(k in s.code)) lines.push(`    input   ${k}  ${v}`);
    for (const o of s.outputs) lines.push(`    output  ${o.name}  ${o.uri}  ${o.hash}`);
  }
  return lines;
}
