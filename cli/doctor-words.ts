import { describeBlobState } from '../cache/blob-check.js';
import type { DoctorFinding, DoctorReport, RepairOutcome, SkippedCheck } from '../contracts/doctor-report.js';
import { unreachable } from '../kernel/unreachable.js';

/** The words for `cairn doctor`'s findings (one exhaustive switch: a new kind needs words here to compile). */
export function findingText(f: DoctorFinding): string {
  switch (f.kind) {
    case 'database-unreadable':
      return `${f.file} cannot be read: ${f.message}${f.code === undefined ? '' : ` (${f.code})`}. Move it aside ` +
        `(mv cairn.db cairn.db.damaged) to start a fresh store; the content store and the s3/ view stay`;
    case 'database-damaged':
      return `${f.file} fails SQLite's integrity check: ${f.problems.join('; ')}. Restore it from a backup or try ` +
        `\`sqlite3 ${f.file} .recover\`; cairn cannot rebuild it`;
    case 'blob-damaged':
      return `damaged blob: ${describeBlobState({ state: 'damaged', path: f.path, detail: f.damage })} ` +
        `(repair moves it into quarantine; the step that produced it re-runs when next needed)`;
    case 'output-lost': {
      const shown = f.files.slice(0, 3).map((x) => `${x.path} (${x.state})`).join(', ');
      const more = f.files.length > 3 ? ` and ${f.files.length - 3} more` : '';
      return `output "${f.output}" of step ${f.step} (run ${f.runId}, ${f.uri}) lost ${plural(f.files.length, 'file')}: ` +
        `${shown}${more}; the next run that needs it re-runs ${f.step}`;
    }
    case 'view-differs': {
      const what = f.found === 'missing' ? 'is missing' : f.found === 'not-a-file' ? 'is not a regular file' : 'holds other bytes than recorded';
      const fix = f.blobIntact ? 'repair re-links it from the content store'
        : 'its blob is lost too: the next run that needs it re-runs the step';
      return `${f.path} (output "${f.output}" of step ${f.step}, run ${f.runId}) ${what}; ${fix}`;
    }
    case 'temp-leftover':
      return `leftover temporary ${f.where === 'tmp' ? 'entry' : 'file'} ${f.path} (repair removes it)`;
    case 'orphaned-container':
      return `container ${f.id.slice(0, 12)} (${f.state}) of ${f.runId === undefined ? 'no run' : `run ${f.runId}`} has no live owner (repair removes it)`;
    case 'orphaned-network':
      return `network ${f.name} of ${f.runId === undefined ? 'no run' : `run ${f.runId}`} has no live owner (repair removes it)`;
    case 'run-dir-unrecorded':
      return `${f.path} belongs to no recorded run (run ${f.runId} is not in cairn.db; repair moves it into quarantine)`;
    case 'run-dead':
      return `run ${f.runId} is marked running but no live process owns it (repair marks it stopped)`;
    default:
      return unreachable(f);
  }
}

export function skippedText(s: SkippedCheck): string {
  switch (s.check) {
    case 'containers':
      return `containers not checked: the Docker engine is unreachable (${s.engineText})`;
    case 'temp-leftovers':
      return `temporary files not checked: ${plural(s.runIds.length, 'run')} live (${s.runIds.join(', ')}), whose commits may be in progress`;
    case 'records':
      return 'recorded runs, outputs and temporary files not checked: cairn.db cannot be read';
    default:
      return unreachable(s);
  }
}

function repairText(r: RepairOutcome): string {
  switch (r.outcome) {
    case 'repaired':
      return `repaired: ${findingText(r.finding)}`;
    case 'not-repairable':
      return `not repairable: ${findingText(r.finding)}`;
    case 'failed':
      return `repair failed (${r.error ?? 'unknown error'}): ${findingText(r.finding)}`;
    default:
      return unreachable(r.outcome);
  }
}

/** The whole report as lines of text. */
export function doctorText(report: DoctorReport, repair: boolean): string[] {
  if (report.state === 'missing') return [`no cairn home at ${report.home} (set CAIRN_HOME or pass --home)`];
  const lines = [`cairn doctor: ${report.home}`];
  if (repair) lines.push(...report.repairs.filter((r) => r.outcome !== 'not-repairable').map((r) => `  ${repairText(r)}`));
  lines.push(...report.remaining.map((f) => `  problem: ${findingText(f)}`));
  lines.push(...report.skipped.map((s) => `  note: ${skippedText(s)}`));
  if (report.clean) {
    const fixed = report.repairs.filter((r) => r.outcome === 'repaired').length;
    lines.push(fixed > 0 ? `clean after ${plural(fixed, 'repair')}` : 'clean: no problems found');
  } else {
    lines.push(`${plural(report.remaining.length, 'problem')} ${repair ? 'remain' : 'found'}` +
      (repair ? '' : ' (`cairn doctor --repair` fixes what can be derived)'));
  }
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
