import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_STEP_TYPES } from '../../steps/executor-registry.js';
import { compatFiles, readCompat } from '../support/compat-corpus.js';
import { PY_IMAGE, Workspace } from '../e2e/harness.js';

const files = compatFiles();

type J = Record<string, unknown>;

/** Puts a small fixture file behind every S3 input of the definition that is literal or a parameter default. */
function seedInputs(ws: Workspace, def: J): void {
  const params = new Map(((def.Parameters as J[] | undefined) ?? []).map((p) => [p.Name, p.DefaultValue]));
  const uriOf = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    const get = (v as { Get?: string } | undefined)?.Get;
    const p = get?.startsWith('Parameters.') ? params.get(get.slice('Parameters.'.length)) : undefined;
    return typeof p === 'string' ? p : undefined;
  };
  for (const step of def.Steps as J[]) {
    const inputs = ((step.Arguments as J).ProcessingInputs as J[] | undefined) ?? [];
    for (const input of inputs) {
      const uri = uriOf((input.S3Input as J | undefined)?.S3Uri);
      const m = uri === undefined ? null : /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
      if (m === null) continue;
      const key = m[2]!.endsWith('/') || m[2] === '' ? `${m[2]!}part-0000.csv` : m[2]!;
      ws.putS3(m[1]!, key, key.endsWith('.py') ? 'print("fixture")\n' : 'a,b\n1,2\n');
    }
  }
}

describe('the compatibility corpus through `cairn plan`', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = new Workspace();
    ws.write('cairn.json', { images: { '*.dkr.ecr.*.amazonaws.com/*': PY_IMAGE } });
  });
  afterAll(() => ws.dispose());

  it.each(files)('%s: plans, or is refused with one diagnostic per unsupported step', async (file) => {
    const def = readCompat<J>(file);
    ws.write(file, def);
    seedInputs(ws, def);
    const r = await ws.run(['plan', file]);
    const steps = def.Steps as { Name: string; Type: string }[];
    const unsupported = steps.filter((s) => !SUPPORTED_STEP_TYPES.has(s.Type));
    if (file.startsWith('skrishnakumar027')) {
      // Its inputs and outputs use relative LocalPaths, which SageMaker refuses too (they must begin with /opt/ml/processing/).
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(
        'AbaloneProcess  blocked Processing step "AbaloneProcess": Arguments.ProcessingInputs[0].S3Input.LocalPath must be an absolute path inside the container without "..", not "pipleline_1_dev/input"; SageMaker requires it to begin with /opt/ml/processing/',
      );
    } else if (unsupported.length === 0) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      for (const s of steps) expect(r.stdout).toMatch(new RegExp(`\\d\\. ${s.Name.replace(/[.+]/g, '\\$&')}\\s+run\\s+(no earlier execution|upstream .* will run)`));
    } else {
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(unsupported.length);
      unsupported.forEach((s, i) => {
        expect(lines[i]).toMatch(new RegExp(`^${file.replace(/[.+]/g, '\\$&')}:\\d+:\\d+ Steps\\[\\d+\\]\\.Type \\(step "${s.Name}"\\): step type "${s.Type}" is not supported yet`));
      });
    }
  });
});
