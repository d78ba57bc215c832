import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../containers/docker-runtime.js';
import { containerLabels } from '../../containers/labels.js';
import { standInNamed } from '../../containers/stand-ins.js';

// These need the TensorFlow stand-ins: `bash containers/images/build-tensorflow-images.sh` (a few minutes, ~2 GB;
// .ci/run and examples/run-example.sh build them). Without them the tests fail, saying how to build them.
const runtime = new DockerRuntime();
const TF = standInNamed('tensorflow')!.image;
const TRAIN = standInNamed('tensorflow-training')!.image;
const tf = await runtime.inspectImage(TF);
const train = await runtime.inspectImage(TRAIN);
const missing = (image: string): string => `${image} is missing: build it with bash containers/images/build-tensorflow-images.sh`;
const labels = containerLabels({ home: '/tmp/cairn-test-home', runId: 'tf-images', step: 'S', attempt: 1 });

async function output(image: string, cmd: string[], mounts: { hostPath: string; containerPath: string; readOnly: boolean }[] = []): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  // The toolkit waits until every host of resourceconfig.json resolves: the container is algo-1, as on SageMaker.
  const r = await runtime.run({ image, entrypoint: cmd, env: {}, mounts, labels, hostname: 'algo-1' }, { onLine: (l, s) => { if (s === 'stdout') out.push(l); } });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { code: r.value.exitCode, out };
}

describe('TensorFlow stand-in images', () => {
  it('cairn-local/tensorflow runs TensorFlow 2.19.0 on Python 3.11', async () => {
    expect(tf, missing(TF)).toBeDefined();
    const r = await output(TF, ['python3', '-c', 'import sys, tensorflow as tf; print(tf.__version__, sys.version_info[:2]); print(float(tf.reduce_sum(tf.ones((2, 3)))))']);
    expect(r).toEqual({ code: 0, out: ['2.19.0 (3, 11)', '6.0'] });
    expect(tf?.labels?.['org.cairn.stands-for']).toBe('tensorflow/tensorflow:2.19.0');
  });

  it('cairn-local/tensorflow-training has the sagemaker-training toolkit, its train entrypoint and the TF training module', async () => {
    expect(train, missing(TRAIN)).toBeDefined();
    const r = await output(TRAIN, ['sh', '-c',
      'command -v train && echo "$SAGEMAKER_TRAINING_MODULE" && python3 -c "import sagemaker_training, sagemaker_tensorflow_container.training, tensorflow as tf; print(tf.__version__)"']);
    expect(r).toEqual({ code: 0, out: ['/usr/local/bin/train', 'sagemaker_tensorflow_container.training:main', '2.19.0'] });
    expect(train?.labels).toMatchObject({
      'org.cairn.toolkit': 'sagemaker-training',
      'org.cairn.stands-for': '763104351884.dkr.ecr.<region>.amazonaws.com/tensorflow-training:2.19-cpu-py312',
    });
  });

  it('cairn-local/tensorflow-training runs a Keras script through `train` (script mode, as the DLC does)', async () => {
    expect(train, missing(TRAIN)).toBeDefined();
    const ml = mkdtempSync(join(tmpdir(), 'cairn-tf-train-'));
    try {
      for (const d of ['input/config', 'code', 'model', 'output']) mkdirSync(join(ml, d), { recursive: true });
      writeFileSync(join(ml, 'code/train.py'), [
        'import argparse, os, tensorflow as tf',
        'p = argparse.ArgumentParser(); p.add_argument("--epochs", type=int); p.add_argument("--model_dir"); a = p.parse_args()',
        'x = tf.random.normal((64, 4)); y = tf.reduce_sum(x, axis=1, keepdims=True)',
        'm = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)]); m.compile("sgd", "mse")',
        'm.fit(x, y, epochs=a.epochs, verbose=0)',
        // One write: the toolkit relays the script's output as it reads it, and under load print()'s separate writes of
        // "epochs", " ", "2" can arrive (and be logged) as separate lines, as on SageMaker.
        'print(f"epochs {a.epochs}", flush=True); m.save(os.path.join(os.environ["SM_MODEL_DIR"], "model.keras"))',
      ].join('\n'));
      writeFileSync(join(ml, 'input/config/hyperparameters.json'), JSON.stringify({ epochs: '2', sagemaker_program: '"train.py"', sagemaker_submit_directory: '"/opt/ml/code"' }));
      writeFileSync(join(ml, 'input/config/resourceconfig.json'), JSON.stringify({ current_host: 'algo-1', hosts: ['algo-1'], network_interface_name: 'eth0' }));
      writeFileSync(join(ml, 'input/config/inputdataconfig.json'), '{}');
      const r = await output(TRAIN, ['train'], [{ hostPath: ml, containerPath: '/opt/ml', readOnly: false }]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('epochs 2');
      expect(readdirSync(join(ml, 'model'))).toEqual(['model.keras']);
    } finally {
      rmSync(ml, { recursive: true, force: true });
    }
  }, 60_000);
});
