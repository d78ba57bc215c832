import { spawn } from 'node:child_process';
import { resolveHome } from '../../contracts/home.js';
import { startUiServer } from '../../ui/server.js';
import { answerCallback } from '../callback-answer.js';
import { EXIT, parse, UsageError, type Command } from '../command.js';
import { decisionWords } from '../decision-words.js';
import { renderFailure } from '../render-failure.js';

const usage = `usage: cairn ui [--port N] [--host H] [--open] [--home DIR] [--json]

Serves a web app over this cairn home: runs, each run's DAG live as it runs, step logs, failures and cache decisions,
metric charts, run comparison, experiments, the model registry (approve or reject with a note) and Callback answers.
Binds 127.0.0.1 (port N, default: a free one). A --host other than loopback needs the token the command prints
(in the URL); changes need the token or a request from the UI's own page. --open starts the system's browser.
--json prints {"url","token","host","port"} once it listens. Ctrl-C stops it.`;

export const uiCommand: Command = {
  name: 'ui',
  usage,
  async run(argv) {
    const a = parse({ usage }, argv, {
      port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' }, home: { type: 'string' }, json: { type: 'boolean' },
    }, { min: 0, max: 0 });
    if (a.help) { console.log(usage); return EXIT.ok; }
    const port = a.values.port === undefined ? 0 : Number(a.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0-65535), not "${a.values.port}"\n\n${usage}`);
    const home = resolveHome(a.values.home === undefined ? process.env : { ...process.env, CAIRN_HOME: a.values.home });
    const ui = await startUiServer({
      home, port, ...(a.values.host === undefined ? {} : { host: a.values.host }),
      words: { failure: renderFailure, decision: decisionWords },
      answerCallback: (token, answer) => {
        const r = answerCallback(ui!.db, token, answer, home.root);
        return r.ok ? { ok: true, value: { runId: r.value.runId, step: r.value.step, status: r.value.status } } : r;
      },
    }).then((s) => Object.assign(s, { db: s.store.db }), (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EADDRINUSE' && e.code !== 'EADDRNOTAVAIL' && e.code !== 'EACCES') throw e;
      return undefined;
    });
    if (ui === undefined) {
      console.error(`cairn ui: cannot listen on ${a.values.host ?? '127.0.0.1'}:${port} (in use, not this machine's address, or not allowed); choose another --port or --host`);
      return EXIT.invalid;
    }
    const link = ui.loopback ? ui.url : `${ui.url}?token=${ui.token}`;
    if (a.values.json === true) {
      const address = ui.server.address();
      console.log(JSON.stringify({ url: link, token: ui.token, host: a.values.host ?? '127.0.0.1', port: typeof address === 'object' && address !== null ? address.port : port }));
    } else {
      console.log(`cairn ui: ${link}`);
      if (!ui.loopback) console.log(`token: ${ui.token} (every request needs it: open the URL above)`);
      console.log('Ctrl-C stops it.');
    }
    if (a.values.open === true) {
      const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
      spawn(opener, [link], { stdio: 'ignore', detached: true }).on('error', () => console.error(`could not start a browser (${opener}); open ${link}`)).unref();
    }
    await new Promise<void>((resolve) => {
      const stop = (): void => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await ui.close();
    return EXIT.ok;
  },
};
