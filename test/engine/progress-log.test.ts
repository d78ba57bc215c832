import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRefusalText } from '../../cli/render-refusal.js';
import type { RunEvent } from '../../contracts/run-events.js';
import { startRun } from '../../engine/run/run-pipeline.js';
import { collapseCarriageReturns } from '../../ui/web/ansi.js';
import { FakeRuntime, type FakeJobIo } from '../support/fake-runtime.js';
import { fakeServices } from '../support/fake-services.js';
import { CHAIN_IMAGE, OUT_DIR, definition, proc } from './processing-chain.js';

/**
 * A container that draws a progress bar (`\r` between its states): the recorded container.log keeps each state's
 * `\r`, so the UI's collapse and `cairn logs` show it as a terminal would; the live view gets the same lines as before.
 */
let env: ReturnType<typeof fakeServices>;

function job(io: FakeJobIo): number {
  io.log('epoch 1');
  for (const p of ['10%', '50%']) io.log(`progress ${p}`, 'stdout', '\r');
  io.log('progress 100%', 'stdout', '\n');
  io.log('a warning', 'stderr');
  mkdirSync(io.hostPath(OUT_DIR), { recursive: true });
  writeFileSync(join(io.hostPath(OUT_DIR), 'r.txt'), 'x');
  return 0;
}

beforeEach(() => {
  env = fakeServices(new FakeRuntime());
  env.runtime.addImage(CHAIN_IMAGE);
  env.runtime.onImage(CHAIN_IMAGE, job);
  const raw = join(env.services.home.root, 's3', 'bucket/raw/data.csv');
  mkdirSync(dirname(raw), { recursive: true });
  writeFileSync(raw, '1\n');
});
afterEach(() => env.close());

describe('a recorded container log', () => {
  it('keeps the \\r of progress lines, while the live view gets the lines alone', async () => {
    const d = definition([proc('P', 's3://bucket/raw')]);
    const events: RunEvent[] = [];
    const r = await startRun(env.services, { definition: d.def, definitionText: d.text, pipeline: 'p', parameters: {}, options: { noCache: false, rerun: [] } },
      { signal: new AbortController().signal, emit: (e) => events.push(e), maxParallel: 1 });
    if (!r.ok) throw new Error(runRefusalText(r.error));
    expect(r.value.status).toBe('succeeded');
    const log = readFileSync(join(env.services.home.attemptDir(r.value.runId, 'P', 1), 'container.log'), 'utf8');
    expect(log).toBe('epoch 1\nprogress 10%\rprogress 50%\rprogress 100%\na warning\n');
    expect(collapseCarriageReturns(log)).toBe('epoch 1\nprogress 100%\na warning\n');
    const live = events.flatMap((e) => (e.type === 'log' ? [e.line] : []));
    expect(live).toEqual(['epoch 1', 'progress 10%', 'progress 50%', 'progress 100%', 'a warning']);
  });
});
