import { existsSync } from 'node:fs';
import { describeFailureType } from '../../engine/run/exception-types.js';
import { resolveHome } from '../../contracts/home.js';
import type { Store } from '../../cache/store.js';
import { EXIT, parse, type Command } from '../command.js';
import { decisionWords } from '../decision-words.js';
import { formatDuration } from '../progress.js';
import { renderFailure } from '../render-failure.js';
import { tuningTrialLines } from '../tuning-trials-text.js';
import { runJson } from '../../contracts/run-json.js';
import { sideWriteLines, stepSideWrites } from '../side-write-lines.js';
import { openReadOnlyStore, settleRuns } from '../open-store.js';
import { runDirsWithoutRecord } from '../../cache/run-dirs-without-record.js';
import { stepWarnings } from '../../cache/step-warnings.js';
import { warningLines } from '../step-warning-words.js';

/** Opens the store and settles runs whose owner died (no Docker call: containers are swept by the next run). */
async function store(): Promise<Store | undefined> {
  const home = resolveHome();
  if (!existsSync(home.db)) return undefined;
  const s = openReadOnlyStore(home);
  await settleRuns(s, home);
  return s;
}

/** Runs whose directory outlived their record (cache/run-dirs-without-record.ts): said on stderr, so --json stays as it is. */
function lostRunsText(ids: string[]): string {
  const home = resolveHome();
  const shown = ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ');
  return `note: ${ids.length} run director${ids.length === 1 ? 'y' : 'ies'} under ${home.runsDir} ${ids.length === 1 ? 'has' : 'have'} no record in ${home.db}: ${shown}. ` +
    'Their records were lost (SQLite drops what a cairn.db-wal file held when that file is deleted or damaged after a crash); ' +
    'their logs and files are still in those directories, and `cairn doctor` lists them.';
}

const runsUsage = `usage: cairn runs [--json]

Lists the runs in this cairn home, newest first. --json prints [{"runId","pipeline","status","startedAt"}].`;

export const runsCommand: Command = {
  name: 'runs',
  usage: runsUsage,
  async run(argv) {
    const a = parse({ usage: runsUsage }, argv, { json: { type: 'boolean' } }, { min: 0, max: 0 });
    if (a.help) { console.log(runsUsage); return EXIT.ok; }
    const s = await store();
    const runs = s?.listRuns() ?? [];
    const lost = runDirsWithoutRecord(resolveHome(), s ?? { getRun: () => undefined });
    if (lost.length > 0) console.error(lostRunsText(lost));
    if (a.values.json === true) {
      console.log(JSON.stringify(runs.map((r) => ({ runId: r.runId, pipeline: r.pipeline, status: r.status, startedAt: new Date(r.startedAt).toISOString() }))));
    } else if (runs.length === 0) {
      console.log('no runs yet (start one with `cairn run <pipeline.json>`)');
    } else {
      console.log(`${'RUN'.padEnd(14)}${'STATUS'.padEnd(11)}${'STARTED'.padEnd(26)}${'TOOK'.padEnd(9)}PIPELINE`);
      for (const r of runs) {
        const took = r.endedAt === undefined ? '' : formatDuration(r.endedAt - r.startedAt);
        console.log(`${r.runId.padEnd(14)}${r.status.padEnd(11)}${new Date(r.startedAt).toISOString().padEnd(26)}${took.padEnd(9)}${r.pipeline}`);
      }
    }
    s?.close();
    return EXIT.ok;
  },
};

const showUsage = `usage: cairn show <run-id> [--json]

Shows a run's steps: state, whether reused, attempts, duration, exit code and failure (and a lost output that made a step run again).
A step that exited 0 but wrote /opt/ml/output/failure stays succeeded (as on SageMaker) and shows the file's first
lines as a warning.
--json prints {"runId","status","steps":[{"name","status","reused","attempts","exitCode"?,"failureReason"?,"warnings"?}]}.`;

export const showCommand: Command = {
  name: 'show',
  usage: showUsage,
  async run(argv) {
    const a = parse({ usage: showUsage }, argv, { json: { type: 'boolean' } }, { min: 1, max: 1 });
    if (a.help) { console.log(showUsage); return EXIT.ok; }
    const runId = a.positionals[0]!;
    const s = await store();
    const run = s?.getRun(runId);
    if (s === undefined || run === undefined) { console.error(`no run "${runId}" (see \`cairn runs\`)`); s?.close(); return EXIT.invalid; }
    if (a.values.json === true) {
      const home = resolveHome();
      console.log(JSON.stringify(runJson(run, s.getSteps(runId), { sideWrites: (st) => stepSideWrites(s, s, st), warnings: (st) => stepWarnings(home, st) })));
    } else {
      console.log(`run ${run.runId}  pipeline ${run.pipeline}  ${run.status}  started ${new Date(run.startedAt).toISOString()}`);
      console.log(`definition ${run.definitionFile}  parameters ${JSON.stringify(run.parameters)}`);
      const steps = s.getSteps(runId);
      const w = steps.reduce((m, x) => Math.max(m, x.name.length), 4);
      for (const st of steps) {
        const state = st.status === 'succeeded' && st.reused ? `reused${st.reusedFrom ? ` (run ${st.reusedFrom})` : ''}` : st.status;
        const took = st.startedAt !== undefined && st.endedAt !== undefined ? formatDuration(st.endedAt - st.startedAt) : '';
        console.log(`  ${st.name.padEnd(w)}  ${state.padEnd(22)} attempts ${st.attempts}  ${took}`);
        for (const l of tuningTrialLines(st.properties)) console.log(l);
        for (const att of s.getAttempts(runId, st.name)) {
          const t = att.endedAt === undefined ? '' : formatDuration(att.endedAt - att.startedAt);
          const type = att.failure === undefined || att.status === 'stopped' ? '' : `  [${describeFailureType(att.failure)}]`;
          console.log(`      attempt ${att.attempt}: ${att.status}${att.exitCode !== undefined ? ` (exit ${att.exitCode})` : ''} ${t}${type}`);
        }
        for (const l of sideWriteLines(stepSideWrites(s, s, st), st.reused ? st.reusedFrom : undefined)) console.log(`    ${l}`);
        // A lost recorded output is news about the store, not about the step: say it even when the step succeeded.
        if (st.decision?.reason.kind === 'output-lost') console.log(`    ${st.decision.action}: ${decisionWords(st.decision)}`);
        for (const w of stepWarnings(resolveHome(), st)) for (const l of warningLines(st.name, w)) console.log(`    ${l}`);
        if (st.failure !== undefined && st.status !== 'succeeded') {
          const last = s.getAttempts(runId, st.name).at(-1);
          for (const l of renderFailure({ name: st.name, type: st.type, runId }, st.failure, last?.logFile)) console.log(`    ${l}`);
        }
      }
    }
    s.close();
    return EXIT.ok;
  },
};
