import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { packDirectoryDeterministic } from '../../../steps/deterministic-tar.js';
import { runprocScript } from '../../../sdk/processing.js';
import type { Workspace } from '../harness.js';

/**
 * Fixture data and code for each file of the compatibility corpus, put into the workspace's object store at the
 * s3:// URIs the definition names (literal, or a parameter's default value). Scripts live beside this file.
 */
const HERE = import.meta.dirname;

type Seed =
  | { uri: string; text: string }
  | { uri: string; script: string }
  | { uri: string; sourcedir: string };

const script = (rel: string): string => readFileSync(join(HERE, rel), 'utf8');
/** The runproc.sh a FrameworkProcessor generates (`python <entry> "$@"`). */
const runproc = (entry: string): string => runprocScript(['python'], entry);

const CAPSTONE_CODE = 's3://sagemaker-us-east-1-109038807292';
const AWS = 's3://sagemaker-us-east-1-327206644775/calhousing-test/code';

const jsonl = (n: number, f: (i: number) => object): string =>
  Array.from({ length: n }, (_, i) => `${JSON.stringify(f(i))}\n`).join('');

function californiaCsv(): string {
  const rows = ['MedInc,HouseAge,AveRooms,target'];
  for (let i = 0; i < 40; i++) {
    const inc = 1 + (i % 9) * 0.7, age = 5 + (i * 7) % 40, rooms = 3 + (i % 5) * 0.4;
    rows.push(`${inc.toFixed(2)},${age},${rooms.toFixed(2)},${(0.4 * inc + 0.01 * age + 0.1 * rooms).toFixed(4)}`);
  }
  return `${rows.join('\n')}\n`;
}

export const SEEDS: Record<string, Seed[]> = {
  'CapstoneCohort4Group9+sagemaker-mlops-pipeline__pipeline.json': [
    { uri: 's3://sagemaker-studio-7oabgjsj0b7/datasets/raw/train.jsonl', text: jsonl(6, (i) => ({ prompt: `q${i}`, completion: `a${i}` })) },
    { uri: 's3://sagemaker-studio-7oabgjsj0b7/datasets/raw/test.jsonl', text: jsonl(2, (i) => ({ prompt: `t${i}`, completion: `b${i}` })) },
    { uri: 's3://sagemaker-studio-7oabgjsj0b7/datasets/evaluation/test_prompts.jsonl', text: jsonl(3, (i) => ({ prompt: `p${i}` })) },
    { uri: `${CAPSTONE_CODE}/PreprocessData-1f7d5f75130e919262aad0f8bad707e8fd9c27132d5fa99ae44e26cb1aa30ee3/input/code/preprocess.py`, script: 'capstone/preprocess.py' },
    { uri: `${CAPSTONE_CODE}/TrainHermesProModel-aa995dd80531192dbdf9926700b49482e13b503dfc6e6ab237afca68ed7216ea/source/sourcedir.tar.gz`, sourcedir: 'capstone/train-source' },
    { uri: `${CAPSTONE_CODE}/EvaluateHopJetAirModel-e950d42d952fc492b102fbafdd3e319c6eb4103d58e3b8fb67f16934232241c7/input/code/run_evaluation.py`, script: 'capstone/run_evaluation.py' },
    { uri: `${CAPSTONE_CODE}/Hermes2Pro-Mistral-Finetuning-Pipeline/EvaluateHopJetAirModel/input/input-3/requirements.txt`, text: '' },
  ],
  'aws-samples+dynamic-sagemaker-pipelines-framework__pipeline_definition.json': [
    { uri: `${AWS}/10162a72a70ea73cfc521c8d9a940a1e/sourcedir.tar.gz`, sourcedir: 'aws-samples/falcon-preprocess' },
    { uri: `${AWS}/b99be1bf860d1dd9ef0da2f5e99d6005/runproc.sh`, text: runproc('preprocess.py') },
    { uri: `${AWS}/3fbcabc20b3e5c7a4186176db6d9b74a/sourcedir.tar.gz`, sourcedir: 'aws-samples/falcon-training' },
    { uri: 's3://sagemaker-us-east-1-327206644775/tf2-california-housing-pipelines/traindata/california.csv', text: californiaCsv() },
    { uri: `${AWS}/601361f018d558aff5f6d5e5aa268a99/sourcedir.tar.gz`, sourcedir: 'aws-samples/calhousing-preprocess' },
    { uri: `${AWS}/906d832cb8d78a79db7aca5f0e90b4df/runproc.sh`, text: runproc('preprocess.py') },
    { uri: `${AWS}/2b2bed1653f6e5820c3ed4eac9f4c094/sourcedir.tar.gz`, sourcedir: 'aws-samples/calhousing-training' },
    { uri: `${AWS}/f650f30a4e4548c8e803ea6d1a6df415/sourcedir.tar.gz`, sourcedir: 'aws-samples/calhousing-metrics' },
    { uri: `${AWS}/3fb09322e97ad9af120c0c082586efcb/runproc.sh`, text: runproc('evaluate.py') },
  ],
  'chidichekwas+sagemaker-inferencing__pipeline_definition.json': [
    { uri: 's3://sagemaker-s3-chidi/fraud/processed/transactions.csv', text: 'id,amount\n1,20\n2,250\n3,99.5\n4,101\n' },
    { uri: 's3://sagemaker-s3-chidi/fraud/scripts/inference_script.py', script: 'chidichekwas/inference_script.py' },
  ],
  'skrishnakumar027+sagemaker_pipelines__pipeline_definition.json': [
    { uri: 's3://dep-poc-sagemaker-bucket/sagemaker_pipeline_1/abalone-dataset.csv', text: 'sex,length,rings\nM,0.455,15\n' },
    { uri: 's3://sagemaker-us-east-2-390831823934/AbaloneProcess-98d8b6b1dccd8292681bf1f954b79e40/input/code/preprocessing.py', script: 'skrishnakumar027/preprocessing.py' },
  ],
};

/** Writes a file's seeds into the workspace's object store. */
export async function seedCompat(ws: Workspace, file: string): Promise<void> {
  for (const seed of SEEDS[file] ?? []) {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(seed.uri);
    if (m === null) throw new Error(`not an s3 URI: ${seed.uri}`);
    const [bucket, key] = [m[1]!, m[2]!];
    if ('text' in seed) ws.putS3(bucket, key, seed.text);
    else if ('script' in seed) ws.putS3(bucket, key, script(seed.script));
    else {
      const dest = resolve(ws.home, 's3', bucket, key);
      mkdirSync(dirname(dest), { recursive: true });
      await packDirectoryDeterministic(join(HERE, seed.sourcedir), dest);
    }
  }
}

/** cairn.json: scikit-learn images to the sklearn stand-in, every other image to the python + numpy one. */
export const COMPAT_IMAGE_MAP = {
  images: {
    '*.dkr.ecr.*.amazonaws.com/sagemaker-scikit-learn:*': 'cairn-local/python-sklearn',
    '*.dkr.ecr.*.amazonaws.com/*': 'cairn-local/python:3.11-numpy',
  },
};
