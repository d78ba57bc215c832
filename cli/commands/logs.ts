import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveHome } from '../../contracts/home.js';
import { runIsLive } from '../../cache/run-lock.js';
import { EXIT, parse, UsageError, type Command } from '../command.js';
import { openReadOnlyStore } from '../open-store.js';

const usage = `usage: cairn logs <run-id> <step> [--attempt N] [--follow]

Prints the container log of a step (its latest attempt unless --attempt). --follow keeps printing new lines until
the step's attempt ends.`;

export const logsCommand: Command = {
  name: 'logs',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, { attempt: { type: 'string' }, follow: { type: 'boolean', short: 'f' } }, { min: 2, max: 2 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const [runId, step] = a.positionals as [string, string];
    const home = resolveHome();
    if (!existsSync(home.db)) { console.error(`no run "${runId}" (no cairn home at ${home.root})`); return EXIT.invalid; }
    const store = openReadOnlyStore(home);
    try {
      if (store.getRun(runId) === undefined) { console.error(`no run "${runId}" (see \`cairn runs\`)`); return EXIT.invalid; }
      if (store.getStep(runId, step) === undefined) {
        const names = store.getSteps(runId).map((s) => s.name).join(', ');
        console.error(`run ${runId} has no step "${step}" (steps: ${names})`);
        return EXIT.invalid;
      }
      const attempts = store.getAttempts(runId, step);
      let wanted = attempts.at(-1);
      if (a.values.attempt !== undefined) {
        const n = Number(a.values.attempt);
        if (!Number.isInteger(n)) throw new UsageError(`--attempt must be an integer\n\n${usage}`);
        wanted = attempts.find((x) => x.attempt === n);
      }
      if (wanted === undefined) {
        console.error(`step "${step}" of run ${runId} has no ${a.values.attempt !== undefined ? `attempt ${a.values.attempt}` : 'container log'} (it was reused or never ran)`);
        return EXIT.invalid;
      }
      let offset = 0;
      const pump = (): void => {
        if (!existsSync(wanted.logFile)) return;
        const size = statSync(wanted.logFile).size;
        if (size <= offset) return;
        const fd = openSync(wanted.logFile, 'r');
        const buf = Buffer.alloc(size - offset);
        readSync(fd, buf, 0, buf.length, offset);
        closeSync(fd);
        offset = size;
        process.stdout.write(buf);
      };
      pump();
      while (a.values.follow === true) {
        const att = store.getAttempts(runId, step).find((x) => x.attempt === wanted.attempt);
        if (att === undefined || att.status !== 'running' || !runIsLive(store, runId)) { pump(); break; }
        await sleep(200);
        pump();
      }
      return EXIT.ok;
    } finally {
      store.close();
    }
  },
};
