import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobPath } from '../../cache/cas.js';
import { outRef, pyStep } from '../e2e/fixtures.js';
import type { RunJson, Workspace } from '../e2e/harness.js';
import { chaosWorkspace, doctorReport, homeContainers, pipelineWith, recordedBytes, viewFile } from './chaos-pipeline.js';

/**
 * Jobs that attack the store from inside their container: one writes into its inputs (allowed inside the container,
 * as on SageMaker, but no byte the store holds may change), one leaves links to host files in its output (the step
 * fails naming the link; no host byte enters the store). `cairn doctor` finds the store clean after each.
 */
let ws: Workspace;
beforeEach(() => { ws = chaosWorkspace(); });
afterEach(() => ws.dispose());

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('a job that writes into its inputs', () => {
  it('changes only its own copy: the upstream output, its blob and the s3/ view keep their bytes', async () => {
    const vandal = pyStep('Vandal', [
      "p = '/opt/ml/processing/input/clean/'",
      "open(p + 'data.csv', 'a').write('appended by Vandal\\n')",
      "open(p + 'parts/p0.csv', 'w').write('overwritten')",
      "open('/opt/ml/processing/output/v/v.txt', 'w').write(str(len(open(p + 'data.csv').read())))",
    ].join('\n'), [['clean', outRef('Prep', 'clean')]], ['v']);
    ws.write('pipeline.json', pipelineWith(vandal));
    const r = await ws.json<RunJson>(['run', 'pipeline.json', '--json']);
    expect(r.json.status, r.result.stderr).toBe('succeeded');
    const recorded = recordedBytes(ws.home, r.json.runId);
    for (const rel of ['Prep/clean/data.csv', 'Prep/clean/parts/p0.csv']) {
      const hash = recorded[rel]!;
      expect(sha(readFileSync(viewFile(ws, r.json.runId, rel))), rel).toBe(hash);
      expect(sha(readFileSync(blobPath(ws.home, hash))), rel).toBe(hash);
    }
    const doctor = await doctorReport(ws);
    expect(doctor.remaining, JSON.stringify(doctor.remaining, null, 1)).toEqual([]);
    // The next run reuses Prep with its true bytes, and Vandal sees the same input as before.
    const again = await ws.json<RunJson>(['run', 'pipeline.json', '--json']);
    expect(again.json.status).toBe('succeeded');
    expect(recordedBytes(ws.home, again.json.runId)).toEqual(recorded);
  });
});

describe('a job that links to host files from its output', () => {
  for (const [what, link, target] of [['a host file', 'shadow', '/etc/shadow'], ['a host directory', 'etcdir', '/etc']] as const) {
    it(`to ${what}: fails the step naming the link and its target; no host byte is in the store`, async () => {
      const linker = pyStep('Linker', [
        'import os', "out = '/opt/ml/processing/output/o/'",
        "open(out + 'ok.txt', 'w').write('fine')", `os.symlink('${target}', out + '${link}')`,
      ].join('\n'), [], ['o']);
      ws.write('pipeline.json', pipelineWith(linker));
      const r = await ws.json<RunJson>(['run', 'pipeline.json', '--json']);
      expect(r.result.code).toBe(1);
      expect(r.json.steps.find((s) => s.name === 'Linker')?.status).toBe('failed');
      const said = r.result.stderr.split('\n').find((l) => l.startsWith('step "Linker" failed')) ?? '';
      // The link by its name, and its target as a whole path (not as the start of a longer one such as /etcdir/…).
      expect(said).toMatch(new RegExp(`(?<![\\w.-])${link}(?![\\w/-])`));
      expect(said).toMatch(new RegExp(`(?<![\\w.-])${target}(?![\\w/-]|\\.\\w)`));
      for (const host of ['/etc/shadow', '/etc/passwd', '/etc/hostname']) {
        if (!existsSync(host)) continue;
        expect(existsSync(blobPath(ws.home, sha(readFileSync(host)))), `${host} is in the content store`).toBe(false);
      }
      expect(homeContainers(ws)).toEqual([]);
      const doctor = await doctorReport(ws);
      expect(doctor.remaining, JSON.stringify(doctor.remaining, null, 1)).toEqual([]);
    });
  }
});
