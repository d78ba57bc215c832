import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { StepContext } from '../../contracts/executor.js';
import { resolveStepImage } from '../../steps/step-image.js';
import { STAND_INS } from '../../containers/stand-ins.js';

/** A stand-in of another framework version than the definition asks for: a one-line notice when the step runs. */
const STAND_IN = STAND_INS.find((s) => s.name === 'tensorflow-training')!.image;
const TF = (tag: string) => `763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:${tag}`;

function ctx(local: string, plan = false): { ctx: StepContext; notices: string[] } {
  const notices: string[] = [];
  const c = {
    images: { resolve: () => Promise.resolve({ ok: true, value: { local, id: 'sha256:1' } }) },
    signal: new AbortController().signal, log: pino({ level: 'silent' }), onNotice: (m: string) => { notices.push(m); },
    ...(plan ? { onProblem: () => undefined } : {}),
  } as unknown as StepContext;
  return { ctx: c, notices };
}

describe('stand-in version notice', () => {
  it('says once that a 2.13 TensorFlow image runs on the 2.19 stand-in', async () => {
    const { ctx: c, notices } = ctx(STAND_IN);
    expect((await resolveStepImage(c, TF('2.13-cpu-py310'), 'AlgorithmSpecification.TrainingImage', true)).ok).toBe(true);
    expect(notices).toEqual([`image ${TF('2.13-cpu-py310')} runs as the stand-in ${STAND_IN}: the stand-in has TensorFlow 2.19.0`]);
  });

  it('says nothing for the same version, for another local image, or at plan time', async () => {
    for (const [uri, local, plan] of [[TF('2.19-cpu-py312'), STAND_IN, false], [TF('2.13-cpu-py310'), 'my/own-tf:2.13', false], [TF('2.13-cpu-py310'), STAND_IN, true]] as const) {
      const { ctx: c, notices } = ctx(local, plan);
      await resolveStepImage(c, uri, 'F', true);
      expect(notices).toEqual([]);
    }
  });
});
