import fc from 'fast-check';

/**
 * Generated hostile pipeline definitions, as text: one Processing or Training step (and sometimes a Condition) whose
 * fields are attacked one class at a time: JSON nested thousands deep (at the root, in Metadata, in Arguments, in
 * text that is not even valid JSON), Std:Join and conditions nested hundreds deep, malformed and non-ASCII image
 * references, `.`/`..` and empty segments in output URIs, and megabyte strings. Each class's depths straddle the
 * loader's bound (kernel/json-depth.ts) and the depths where Node's stack used to end (~850 Std:Join, ~2,200 JSON).
 * Used by test/engine/hostile-definitions.test.ts; the chaos suite may reuse `hostileDefinition`.
 */
export const HOSTILE_IMAGE = 'cairn-test/job:1';

type Json = unknown;

/** Raw JSON text: nesting is built as text, since JSON.stringify itself recurses (and ends near 5,000 levels). */
type Raw = string;

const nestArrays = (n: number, inner: Raw): Raw => '['.repeat(n) + inner + ']'.repeat(n);
const nestObjects = (n: number, inner: Raw): Raw => '{"k": '.repeat(n) + inner + '}'.repeat(n);
const nestJoins = (n: number, inner: Raw): Raw => '{"Std:Join": {"On": "-", "Values": ['.repeat(n) + inner + ', "x"]}}'.repeat(n);
const LEAF_CONDITION = '{"Type": "Equals", "LeftValue": {"Get": "Parameters.P"}, "RightValue": "p"}';
const nestConditions = (n: number): Raw => {
  let c = LEAF_CONDITION;
  for (let i = 0; i < n; i++) c = i % 2 === 0 ? `{"Type": "Not", "Expression": ${c}}` : `{"Type": "Or", "Conditions": [${c}, ${LEAF_CONDITION}]}`;
  return c;
};
const GET_P = '{"Get": "Parameters.P"}';

/** Depths around the limit (256) and around where recursion overflowed before (850, 2,200), up to 20,000. */
const depth = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 240, max: 270 }), fc.integer({ min: 800, max: 2600 }), fc.constant(20_000));

const IMAGE_REFS = [
  'python:3.11-slimé', 'python:3.11-slim\u0000', 'Python:3', 'a//b', 'ex ample:1', ':tag', 'x@sha256:12', 'host:port/x',
  '-bad.com/x', `x:${'t'.repeat(129)}`, '', 'ok.example.com:5000/a/b:1', HOSTILE_IMAGE, 'cairn-test/job:1\n', '\u202e',
];
const OUTPUT_URIS = ['s3://b/..', 's3://b/a/../../x', 's3://b/./x', 's3://b//x', 's3://b/a//', 'file:///tmp/../etc', 's3://../x', 's3://', 's3://b/ok', 'file:///tmp/ok/', 'relative/x'];

/** Up to 300 KB, rarely (a megabyte string costs ~0.2 s to load and plan; the CLI test has one of 1 MB). */
const hugeSize = fc.oneof({ arbitrary: fc.constantFrom(1, 1_000, 30_000), weight: 9 }, { arbitrary: fc.constant(300_000), weight: 1 });
const hugeString = hugeSize.chain((n) => fc.constantFrom('a', 'é', '[', '"', '\\', '\u0000', '$&').map((c) => c.repeat(n)));
const deepJoin = depth.map((n) => nestJoins(n, GET_P));
const text = (a: fc.Arbitrary<string>): fc.Arbitrary<Raw> => a.map((v) => JSON.stringify(v));
const image = fc.oneof(text(fc.constantFrom(...IMAGE_REFS)), text(fc.string({ unit: 'grapheme', maxLength: 40 })), text(hugeString), deepJoin);
const outputUri = fc.oneof(text(fc.constantFrom(...OUTPUT_URIS)), text(fc.string({ maxLength: 30 }).map((v) => `s3://b/${v}`)), text(hugeString), deepJoin);

/** `template` as JSON text with each `"@name"` string replaced by raw text (a function replacer: no `$` patterns). */
function fill(template: Json, raws: Record<string, Raw>): Raw {
  return JSON.stringify(template).replace(/"@(\w+)"/g, (m, k: string) => raws[k] ?? m);
}

const IMG = JSON.stringify(HOSTILE_IMAGE);

function step(extra: Record<string, Json> = {}): Json {
  return {
    Name: 'S', Type: 'Processing',
    Arguments: {
      AppSpecification: { ImageUri: '@img', ContainerArguments: ['a'] },
      ProcessingResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 } },
      ProcessingOutputConfig: { Outputs: [{ OutputName: 'o', S3Output: { S3Uri: '@out', LocalPath: '/opt/ml/processing/o' } }] },
      ...extra,
    },
  };
}

const TRAINING = {
  Name: 'T', Type: 'Training',
  Arguments: {
    AlgorithmSpecification: { TrainingImage: '@img', TrainingInputMode: 'File' },
    OutputDataConfig: { S3OutputPath: '@out' }, CheckpointConfig: { S3Uri: '@ckpt' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
  },
};

function definition(steps: Json[], raws: Record<string, Raw>, metadata: Json = {}): Raw {
  const doc = { Version: '2020-12-01', Metadata: metadata, Parameters: [{ Name: 'P', Type: 'String', DefaultValue: 'p' }], Steps: steps };
  return fill(doc, { img: IMG, out: '"s3://b/o"', ...raws });
}

/** One hostile definition's text and the class it attacks. */
export const hostileDefinition: fc.Arbitrary<{ kind: string; text: string }> = fc.oneof(
  depth.map((n) => ({ kind: 'deep arrays at the root', text: nestArrays(n, '1') })),
  depth.map((n) => ({ kind: 'deep objects in Metadata', text: definition([step()], { deep: nestObjects(n, '1') }, '@deep') })),
  fc.tuple(depth, fc.constantFrom('Environment', 'ContainerArguments', 'Deep')).map(([n, field]) => ({
    kind: `deep arrays in Arguments.${field}`, text: definition([step({ [field]: '@deep' })], { deep: nestArrays(n, '"v"') }),
  })),
  fc.tuple(depth, fc.nat()).map(([n, cut]) => {
    const t = definition([step({ Deep: '@deep' })], { deep: nestObjects(n, '1') });
    return { kind: 'deep, cut short (invalid JSON)', text: t.slice(0, t.length - 1 - (cut % Math.max(1, n))) };
  }),
  deepJoin.map((join) => ({ kind: 'deep Std:Join in ContainerArguments', text: definition([step({ AppSpecification: { ImageUri: HOSTILE_IMAGE, ContainerArguments: ['@join'] } })], { join }) })),
  deepJoin.map((join) => ({ kind: 'deep Std:JsonGet S3Uri', text: definition([step({ Environment: { E: { 'Std:JsonGet': { S3Uri: '@join', Path: 'a' } } } })], { join }) })),
  depth.map((n) => ({
    kind: 'deep conditions',
    text: definition([step(), { Name: 'C', Type: 'Condition', Arguments: { Conditions: ['@cond'], IfSteps: [], ElseSteps: [] } }], { cond: nestConditions(Math.min(n, 3000)) }),
  })),
  fc.tuple(image, outputUri).map(([img, out]) => ({ kind: 'image references and output URIs', text: definition([step()], { img, out }) })),
  fc.tuple(image, outputUri, outputUri).map(([img, out, ckpt]) => ({ kind: 'Training image and output URIs', text: definition([TRAINING], { img, out, ckpt }) })),
  fc.tuple(hugeString, hugeString).map(([a, b]) => ({
    kind: 'huge strings', text: definition([{ ...(step({ Environment: { [a.slice(0, 1000)]: b } }) as object), Name: a }], {}),
  })),
);
