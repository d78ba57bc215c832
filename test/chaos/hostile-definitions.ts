import fc from 'fast-check';
import { PY_IMAGE } from '../e2e/harness.js';

/**
 * The chaos suite's own small generator of hostile definitions (text), one attack per definition: JSON nested up to
 * 20,000 deep (arrays and objects, in Metadata and in Arguments), Std:Join nested up to 3,000 deep, malformed and
 * non-ASCII image references, `.`/`..` segments in output URIs, huge strings, and random values at random places of
 * a valid definition. `invalid`: the definition is wrong for certain (plan must refuse it, exit 2).
 */
export interface HostileDefinition {
  kind: string;
  text: string;
  invalid: boolean;
}

const nest = (n: number, open: string, inner: string, close: string): string => open.repeat(n) + inner + close.repeat(n);
const joins = (n: number): string => nest(n, '{"Std:Join": {"On": "-", "Values": [', '"leaf"', ', "x"]}}');
const depth = fc.oneof(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 800, max: 3000 }), fc.constant(20_000));

const BAD_IMAGES = ['python:3.11-slimé', 'Python:3', 'a//b', 'ex ample:1', ':tag', 'x@sha256:12', '-bad.com/x', `x:${'t'.repeat(129)}`, '', 'img\n', '\u202e'];
const DOT_URIS = ['s3://b/..', 's3://b/a/../../x', 's3://b/./x', 's3://b/x/..', 's3://b/x/./y/'];
const JUNK: unknown[] = [null, 0, -1, 1e308, true, '', 'x'.repeat(100_000), [], {}, { Get: 'Steps.Nope.Properties.X' }, { Get: 'Parameters.Nope' },
  { 'Std:Join': { On: 1, Values: 'x' } }, '\u0000', '../../etc/passwd', 's3://', 'file:///etc/shadow', [[[[[]]]]], { Get: 7 }];

/** A valid one-step definition on the local python image, with `@name` placeholders replaced by raw JSON text. */
function definition(raws: Record<string, string> = {}, metadata = '{}'): string {
  const doc = {
    Version: '2020-12-01', Metadata: '@meta', Parameters: [{ Name: 'P', Type: 'String', DefaultValue: 'p' }],
    Steps: [{
      Name: 'S', Type: 'Processing',
      Arguments: {
        ProcessingResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 1 } },
        AppSpecification: { ImageUri: '@img', ContainerArguments: ['@arg'] },
        RoleArn: 'arn:aws:iam::111122223333:role/test',
        ProcessingOutputConfig: { Outputs: [{ OutputName: 'o', S3Output: { S3Uri: '@out', LocalPath: '/opt/ml/processing/o', S3UploadMode: 'EndOfJob' } }] },
      },
    }],
  };
  const all: Record<string, string> = { meta: metadata, img: JSON.stringify(PY_IMAGE), arg: '"a"', out: '"s3://b/o"', ...raws };
  return JSON.stringify(doc).replace(/"@(\w+)"/g, (m, k: string) => all[k] ?? m);
}

/** A random place of the valid definition gets a junk value (or loses its key). */
function mutated(seedPath: number, junk: unknown, drop: boolean): string {
  const doc = JSON.parse(definition()) as unknown;
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[]): void => {
    paths.push(p);
    if (Array.isArray(v)) v.forEach((c, i) => walk(c, [...p, i]));
    else if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...p, k]);
  };
  walk(doc, []);
  const path = paths[seedPath % paths.length]!;
  if (path.length === 0) return JSON.stringify(junk);
  let parent = doc as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (drop && !Array.isArray(parent)) delete parent[last];
  else parent[last] = junk;
  return JSON.stringify(doc);
}

export const hostileDefinition: fc.Arbitrary<HostileDefinition> = fc.oneof(
  depth.map((n) => ({ kind: 'deep arrays at the root', text: nest(n, '[', '1', ']'), invalid: true })),
  depth.map((n) => ({ kind: 'deep objects in Metadata', text: definition({}, nest(n, '{"k": ', '1', '}')), invalid: false })),
  depth.map((n) => ({ kind: 'deep arrays in ContainerArguments', text: definition({ arg: nest(n, '[', '"v"', ']') }), invalid: true })),
  depth.map((n) => ({ kind: 'deep JSON cut short', text: definition({}, nest(n, '{"k": ', '1', '}')).slice(0, -2), invalid: true })),
  depth.map((n) => ({ kind: 'deep Std:Join in ContainerArguments', text: definition({ arg: joins(n) }), invalid: false })),
  fc.constantFrom(...BAD_IMAGES).map((img) => ({ kind: 'bad image reference', text: definition({ img: JSON.stringify(img) }), invalid: true })),
  fc.constantFrom(...DOT_URIS).map((uri) => ({ kind: '. or .. in an output URI', text: definition({ out: JSON.stringify(uri) }), invalid: true })),
  fc.constantFrom(1_000, 2_000_000).map((n) => ({ kind: 'huge string', text: definition({ arg: JSON.stringify('é'.repeat(n)) }), invalid: false })),
  fc.tuple(fc.nat(), fc.constantFrom(...JUNK), fc.boolean()).map(([p, j, d]) => ({ kind: 'random value at a random place', text: mutated(p, j, d), invalid: false })),
);

/** `count` definitions, the same ones every time. */
export function hostileDefinitions(count: number, seed = 10): HostileDefinition[] {
  return fc.sample(hostileDefinition, { numRuns: count, seed });
}
