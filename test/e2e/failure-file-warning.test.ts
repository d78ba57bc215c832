import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pyStep } from './fixtures.js';
import { summary, Workspace } from './harness.js';

/**
 * A job that exits 0 but writes /opt/ml/output/failure stays succeeded (SageMaker's rule: the exit code decides),
 * and cairn shows the file's first lines as a warning: in the live lines, `run --json`, `show` (text, --json) and
 * `explain`. A job that writes no failure file has no warning.
 */
let ws: Workspace;
beforeEach(() => { ws = new Workspace(); });
afterEach(() => ws.dispose());

const SILENT = [
  "open('/opt/ml/output/failure', 'w').write('Failed to read serialized bytes from s3://b/fn: NoCredentialsError\\n' + ''.join(f'line {i}\\n' for i in range(2, 9)))",
  "print('done, exiting 0')",
].join('\n');

describe('a failure file left by a job that exits 0', () => {
  it('keeps the step succeeded and shows the file\'s first lines as a warning everywhere', async () => {
    ws.write('pipeline.json', { Version: '2020-12-01', Metadata: {}, Parameters: [], Steps: [pyStep('Silent', SILENT, [], []), pyStep('Clean', "print('ok')", [], [])] });
    const run = await ws.json(['run', 'pipeline.json', '--json']);
    expect(run.result.code, run.result.stderr).toBe(0);
    expect(summary(run.json)).toEqual({ Silent: 'succeeded', Clean: 'succeeded' });
    const warned = run.json.steps.find((s) => s.name === 'Silent') as unknown as { warnings?: unknown[] };
    const expected = {
      kind: 'failure-file', attempt: 1, totalLines: 8,
      lines: ['Failed to read serialized bytes from s3://b/fn: NoCredentialsError', 'line 2', 'line 3', 'line 4', 'line 5'],
    };
    expect(warned.warnings).toEqual([expected]);
    expect((run.json.steps.find((s) => s.name === 'Clean') as unknown as { warnings?: unknown[] }).warnings).toBeUndefined();
    // The live view (plain lines when not a TTY) said it as the step finished.
    expect(run.result.stderr + run.result.stdout).toContain('warning: step "Silent" exited 0 (succeeded, as on SageMaker) but attempt 1 wrote /opt/ml/output/failure:');

    const shown = await ws.run(['show', run.json.runId]);
    expect(shown.stdout).toContain('    warning: step "Silent" exited 0');
    expect(shown.stdout).toContain('      | Failed to read serialized bytes from s3://b/fn: NoCredentialsError');
    expect(shown.stdout).toContain('      … (3 more line(s) in the file)');
    const shownJson = await ws.json(['show', run.json.runId, '--json']);
    expect((shownJson.json.steps.find((s) => s.name === 'Silent') as unknown as { warnings?: unknown[] }).warnings).toEqual([expected]);
    const explained = await ws.run(['explain', run.json.runId, 'Silent']);
    expect(explained.stdout).toContain('| Failed to read serialized bytes from s3://b/fn: NoCredentialsError');
    expect((await ws.run(['explain', run.json.runId, 'Clean'])).stdout).not.toContain('warning');
  });
});
