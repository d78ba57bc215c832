import { imageWorded, problemWords } from '../failure-words.js';
import { describe, expect, it } from 'vitest';
import { DockerImageResolver } from '../../containers/docker-image-resolver.js';
import { DockerRuntime } from '../../containers/docker-runtime.js';
import type { RegistryAuthProvider } from '../../containers/ecr-auth.js';
import { ImageMap } from '../../containers/image-map.js';
import type { ImageInfo, PullProgress, RegistryAuth } from '../../contracts/container-runtime.js';
import { err, ok, type Result } from '../../kernel/result.js';

const SKL = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const PY = 'cairn-local/python:3.11-numpy';
const real = new DockerRuntime();
/** No registry sign-in: these tests never ask AWS for credentials. */
const noAuth: RegistryAuthProvider = async () => ok(undefined);
const TF_ECR = '763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-training:2.19-cpu-py312';
const TF_STANDIN = 'cairn-local/tensorflow-training:2.19-cpu-py311';
const TF_ENTRY = 'cairn.json: {"images": {"763104351884.dkr.ecr.*.amazonaws.com/tensorflow-training:*-cpu-*": "cairn-local/tensorflow-training:2.19-cpu-py311"}}';
const fakeAuth: RegistryAuth = { username: 'AWS', password: 'fake-token', serveraddress: 'https://763104351884.dkr.ecr.us-east-1.amazonaws.com' };

/** No engine at all: nothing is present (except `present`), the registry answers `cause`; records what it was asked. */
class OfflineRuntime extends DockerRuntime {
  readonly pulls: { ref: string; auth: RegistryAuth | undefined }[] = [];
  readonly asks: { ref: string; auth: RegistryAuth | undefined }[] = [];
  constructor(private readonly present: string[] = [], private readonly cause = 'no such host') {
    super();
  }
  override async inspectImage(ref: string): Promise<ImageInfo | undefined> {
    return this.present.includes(ref) ? { id: `sha256:${'0'.repeat(64)}`, repoTags: [ref], repoDigests: [] } : undefined;
  }
  override async canPull(ref: string, auth?: RegistryAuth): Promise<Result<void, string>> {
    this.asks.push({ ref, auth });
    return err(this.cause);
  }
  override async pullImage(ref: string, _p?: (p: PullProgress) => void, _s?: AbortSignal, auth?: RegistryAuth): Promise<Result<ImageInfo, string>> {
    this.pulls.push({ ref, auth });
    return err(this.cause);
  }
}

/** The real engine, with a registry answer fixed so the message text is exact. */
class FixedRegistryRuntime extends DockerRuntime {
  override async canPull(): Promise<Result<void, string>> {
    return err('no such host');
  }
}

describe('DockerImageResolver', () => {
  it('resolves a present image and a mapped one to their image ids', async () => {
    const id = (await real.inspectImage(PY))?.id;
    const resolver = new DockerImageResolver(real, new ImageMap({ [SKL]: PY }, '/x/cairn.json'));
    const direct = await resolver.resolve(PY, { pull: false });
    expect(direct).toEqual({ ok: true, value: { uri: PY, local: PY, id, via: 'present' } });
    const mapped = await resolver.resolve(SKL, { pull: false });
    expect(mapped).toEqual({ ok: true, value: { uri: SKL, local: PY, id, via: 'mapped' } });
  });

  it('explains a missing, unmapped ECR image with the cause and the cairn.json fix', async () => {
    const resolver = new DockerImageResolver(new FixedRegistryRuntime(), ImageMap.empty(), { auth: noAuth });
    const r = await resolver.resolve(SKL, { pull: false });
    expect(imageWorded(r)).toEqual({
      ok: false,
      error: {
        uri: SKL,
        local: SKL,
        message:
          `image "${SKL}" is not present locally and cannot be pulled (no such host); ` +
          `map it to a local image in cairn.json: {"images": {"${SKL}": "<local image>"}}`,
      },
    });
  });

  it('asks the real registry at plan time and reports its cause', async () => {
    const r = await new DockerImageResolver(real, ImageMap.empty(), { auth: noAuth }).resolve(SKL, { pull: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(problemWords(r.error)).toMatch(/^image "683313688378\.dkr.+" is not present locally and cannot be pulled \(.*no such host.*\); map it/);
  });

  it('reports a failed pull at run time', async () => {
    const r = await new DockerImageResolver(real, ImageMap.empty(), { auth: noAuth }).resolve('cairn-unreachable.invalid/x:1', { pull: true });
    expect(problemWords(!r.ok && r.error)).toMatch(/^image "cairn-unreachable\.invalid\/x:1" is not present locally and could not be pulled \(.+\); map it/);
  });

  it('explains a mapped cairn-local image that is missing and how to build it', async () => {
    const resolver = new DockerImageResolver(real, new ImageMap({ 'my/*': 'cairn-local/sklearn:1.2' }, '/proj/cairn.json'));
    const r = await resolver.resolve('my/image:1', { pull: true });
    expect(imageWorded(r)).toEqual({
      ok: false,
      error: {
        uri: 'my/image:1',
        local: 'cairn-local/sklearn:1.2',
        message:
          'image "my/image:1" is mapped to "cairn-local/sklearn:1.2" in /proj/cairn.json, but the mapped image ' +
          '"cairn-local/sklearn:1.2" is not present locally; build it with containers/images/build-test-images.sh',
      },
    });
  });

  it('explains a missing cairn-local image named directly', async () => {
    const r = await new DockerImageResolver(real, ImageMap.empty(), { auth: noAuth }).resolve('cairn-local/sklearn:1.2', { pull: false });
    expect(problemWords(!r.ok && r.error)).toBe('image "cairn-local/sklearn:1.2" is not present locally; build it with containers/images/build-test-images.sh');
  });

  it('explains a mapped registry image that is missing and cannot be pulled', async () => {
    const resolver = new DockerImageResolver(new FixedRegistryRuntime(), new ImageMap({ [SKL]: 'registry.example/sk:1' }, '/proj/cairn.json'), { auth: noAuth });
    const r = await resolver.resolve(SKL, { pull: false });
    expect(problemWords(!r.ok && r.error)).toBe(
      `image "${SKL}" is mapped to "registry.example/sk:1" in /proj/cairn.json, but the mapped image "registry.example/sk:1" is not present ` +
        'locally; it cannot be pulled (no such host); pull or build "registry.example/sk:1", or change the mapping',
    );
  });

  it('says the image will be pulled when the registry answers', async () => {
    class Pullable extends DockerRuntime {
      override async canPull(): Promise<Result<void, string>> {
        return { ok: true, value: undefined };
      }
    }
    const r = await new DockerImageResolver(new Pullable(), ImageMap.empty(), { auth: noAuth }).resolve(SKL, { pull: false });
    expect(r).toEqual({ ok: true, value: { uri: SKL, local: SKL, pullable: true } });
  });

  it('offline, names the TensorFlow stand-in build command and the cairn.json entry (exact message)', async () => {
    const runtime = new OfflineRuntime();
    const resolver = new DockerImageResolver(runtime, ImageMap.empty(), { auth: async () => ok(fakeAuth) });
    const r = await resolver.resolve(TF_ECR, { pull: true });
    expect(problemWords(!r.ok && r.error)).toBe(
      `image "${TF_ECR}" is not present locally and could not be pulled (no such host); ` +
        `build a local stand-in with \`cairn images build --only tensorflow-training\` and map it in ${TF_ENTRY}`,
    );
    // The ECR sign-in went with the pull.
    expect(runtime.pulls).toEqual([{ ref: TF_ECR, auth: fakeAuth }]);
    const planned = await resolver.resolve(TF_ECR, { pull: false });
    expect(problemWords(!planned.ok && planned.error)).toBe(
      `image "${TF_ECR}" is not present locally and cannot be pulled (no such host); ` +
        `build a local stand-in with \`cairn images build --only tensorflow-training\` and map it in ${TF_ENTRY}`,
    );
    expect(runtime.asks).toEqual([{ ref: TF_ECR, auth: fakeAuth }]);
  });

  it('offline, says to map the stand-in when it is already built, and notes a GPU or version difference', async () => {
    const resolver = new DockerImageResolver(new OfflineRuntime([TF_STANDIN, 'cairn-local/tensorflow:2.19.0']), ImageMap.empty(), { auth: noAuth });
    const r = await resolver.resolve(TF_ECR, { pull: true });
    expect(problemWords(!r.ok && r.error)).toBe(
      `image "${TF_ECR}" is not present locally and could not be pulled (no such host); the local stand-in "${TF_STANDIN}" is present: map it in ${TF_ENTRY}`,
    );
    const gpu = TF_ECR.replace('cpu', 'gpu');
    const g = await resolver.resolve(gpu, { pull: true });
    expect(problemWords(!g.ok && g.error)).toBe(
      `image "${gpu}" is not present locally and could not be pulled (no such host); the local stand-in "${TF_STANDIN}" is present ` +
        '(the stand-in has TensorFlow 2.19.0 and runs on the CPU): map it in cairn.json: ' +
        '{"images": {"763104351884.dkr.ecr.*.amazonaws.com/tensorflow-training:*-gpu-*": "cairn-local/tensorflow-training:2.19-cpu-py311"}}',
    );
    const hub = await new DockerImageResolver(new OfflineRuntime(), ImageMap.empty(), { auth: noAuth }).resolve('tensorflow/tensorflow:2.19.0', { pull: true });
    expect(problemWords(!hub.ok && hub.error)).toBe(
      'image "tensorflow/tensorflow:2.19.0" is not present locally and could not be pulled (no such host); build a local stand-in with ' +
        '`cairn images build --only tensorflow` and map it in cairn.json: {"images": {"tensorflow/tensorflow:2.19.0": "cairn-local/tensorflow:2.19.0"}}',
    );
  });

  it('reports a failed ECR sign-in as the cause, without pulling', async () => {
    const runtime = new OfflineRuntime();
    const cause = 'signing in to ECR registry 763104351884.dkr.ecr.us-east-1.amazonaws.com (GetAuthorizationToken in us-east-1) failed: CredentialsProviderError: Could not load credentials from any providers';
    const r = await new DockerImageResolver(runtime, ImageMap.empty(), { auth: async () => err(cause) }).resolve(TF_ECR, { pull: true });
    expect(problemWords(!r.ok && r.error)).toBe(
      `image "${TF_ECR}" is not present locally and could not be pulled (${cause}); build a local stand-in with ` +
        `\`cairn images build --only tensorflow-training\` and map it in ${TF_ENTRY}`,
    );
    expect(runtime.pulls).toEqual([]);
  });

  it('names the build command of a known stand-in that is mapped but missing', async () => {
    const resolver = new DockerImageResolver(new OfflineRuntime(), new ImageMap({ [TF_ECR]: TF_STANDIN }, '/proj/cairn.json'), { auth: noAuth });
    const r = await resolver.resolve(TF_ECR, { pull: true });
    expect(problemWords(!r.ok && r.error)).toBe(
      `image "${TF_ECR}" is mapped to "${TF_STANDIN}" in /proj/cairn.json, but the mapped image "${TF_STANDIN}" is not present locally; ` +
        'build it with `cairn images build --only tensorflow-training`',
    );
  });

  it('with the real engine and no registry, fails quickly naming the image, the cause and the fix', async () => {
    const resolver = new DockerImageResolver(real, ImageMap.empty(), { auth: async () => ok(fakeAuth) });
    const t0 = Date.now();
    const tail = (only: string, entry: string): string =>
      `; (build a local stand-in with \`cairn images build --only ${only}\` and map it|the local stand-in "[^"]+" is present: map it) in ${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
    const ecr = await resolver.resolve(TF_ECR, { pull: true });
    expect(problemWords(!ecr.ok && ecr.error)).toMatch(new RegExp(`^image "${TF_ECR.replace(/\./g, '\\.')}" is not present locally and could not be pulled \\(.+\\)${tail('tensorflow-training', TF_ENTRY)}`));
    const hub = await resolver.resolve('tensorflow/tensorflow:2.19.0', { pull: true });
    expect(problemWords(!hub.ok && hub.error)).toMatch(new RegExp(
      `^image "tensorflow/tensorflow:2\\.19\\.0" is not present locally and could not be pulled \\(.+\\)${tail('tensorflow', 'cairn.json: {"images": {"tensorflow/tensorflow:2.19.0": "cairn-local/tensorflow:2.19.0"}}')}`,
    ));
    console.log('offline pull failures:', problemWords(!ecr.ok && ecr.error), '|', problemWords(!hub.ok && hub.error));
    expect(Date.now() - t0).toBeLessThan(20_000);
  }, 30_000);
});
