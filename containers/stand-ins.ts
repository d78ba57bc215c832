/**
 * cairn's local stand-in images: built offline from Debian's mirror and PyPI by the scripts in containers/images/,
 * never pulled, never tagged with an official name. Keep in step with those scripts.
 */
export interface StandIn {
  /** The stand-in's name: what `images build --only` takes (cli/render-refusal.ts standInBuildCommand). */
  name: string;
  /** The local image reference (`cairn-local/…`). */
  image: string;
  /** The official image it stands in for (`<region>` where the URI varies by region). */
  standsFor: string;
  /** The script under containers/images/ that builds it. */
  script: string;
  /** The stand-in that must exist first, if any. */
  base?: string;
  /** Versions of what it holds, for messages (e.g. TensorFlow's). */
  versions?: Record<string, string>;
}

export const IMAGES_DIR = 'containers/images';
export const TEST_IMAGES_SCRIPT = 'build-test-images.sh';
export const TENSORFLOW_IMAGES_SCRIPT = 'build-tensorflow-images.sh';

/** The TensorFlow version of the TensorFlow stand-ins (tensorflow-cpu from PyPI). */
export const STANDIN_TF_VERSION = '2.19.0';
export const STANDIN_TF_PY_VERSION = 'py311';

export const STAND_INS: readonly StandIn[] = [
  {
    name: 'debian',
    image: 'cairn-local/debian:bookworm',
    standsFor: 'debian:bookworm (minimal)',
    script: TEST_IMAGES_SCRIPT,
  },
  {
    name: 'python-numpy',
    image: 'cairn-local/python:3.11-numpy',
    standsFor: 'a python3 + numpy image (e.g. for the scikit-learn processing container)',
    script: TEST_IMAGES_SCRIPT,
    base: 'debian',
  },
  {
    name: 'python-pip',
    image: 'cairn-local/python-pip:3.11',
    standsFor: 'a python3 + pip image without the SageMaker toolkit (script mode with requirements.txt)',
    script: TEST_IMAGES_SCRIPT,
    base: 'debian',
  },
  {
    name: 'python-toolkit',
    image: 'cairn-local/python-toolkit:3.11',
    standsFor: 'a SageMaker framework training image: python3 + the sagemaker-training toolkit (`train`)',
    script: TEST_IMAGES_SCRIPT,
    base: 'python-pip',
  },
  {
    name: 'tensorflow',
    image: `cairn-local/tensorflow:${STANDIN_TF_VERSION}`,
    standsFor: `tensorflow/tensorflow:${STANDIN_TF_VERSION}`,
    script: TENSORFLOW_IMAGES_SCRIPT,
    base: 'debian',
    versions: { tensorflow: STANDIN_TF_VERSION, python: '3.11' },
  },
  {
    name: 'tensorflow-training',
    image: `cairn-local/tensorflow-training:2.19-cpu-${STANDIN_TF_PY_VERSION}`,
    standsFor: `763104351884.dkr.ecr.<region>.amazonaws.com/tensorflow-training:2.19-cpu-py312`,
    script: TENSORFLOW_IMAGES_SCRIPT,
    base: 'tensorflow',
    versions: { tensorflow: STANDIN_TF_VERSION, python: '3.11' },
  },
];

export function standInNamed(name: string): StandIn | undefined {
  return STAND_INS.find((s) => s.name === name);
}

/** The stand-in whose local image is `image` (as written, e.g. in cairn.json), if any. */
export function standInByImage(image: string): StandIn | undefined {
  return STAND_INS.find((s) => s.image === image);
}

