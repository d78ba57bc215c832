import { describe, expect, it } from 'vitest';
import { DockerImageResolver } from '../../containers/docker-image-resolver.js';
import { DockerRuntime } from '../../containers/docker-runtime.js';
import { ImageMap } from '../../containers/image-map.js';
import { err, type Result } from '../../engine/result.js';

const SKL = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const PY = 'cairn-local/python:3.11-numpy';
const real = new DockerRuntime();

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
    const resolver = new DockerImageResolver(new FixedRegistryRuntime(), ImageMap.empty());
    const r = await resolver.resolve(SKL, { pull: false });
    expect(r).toEqual({
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
    const r = await new DockerImageResolver(real, ImageMap.empty()).resolve(SKL, { pull: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^image "683313688378\.dkr.+" is not present locally and cannot be pulled \(.*no such host.*\); map it/);
  });

  it('reports a failed pull at run time', async () => {
    const r = await new DockerImageResolver(real, ImageMap.empty()).resolve('cairn-unreachable.invalid/x:1', { pull: true });
    expect(!r.ok && r.error.message).toMatch(/^image "cairn-unreachable\.invalid\/x:1" is not present locally and could not be pulled \(.+\); map it/);
  });

  it('explains a mapped cairn-local image that is missing and how to build it', async () => {
    const resolver = new DockerImageResolver(real, new ImageMap({ 'my/*': 'cairn-local/sklearn:1.2' }, '/proj/cairn.json'));
    const r = await resolver.resolve('my/image:1', { pull: true });
    expect(r).toEqual({
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
    const r = await new DockerImageResolver(real, ImageMap.empty()).resolve('cairn-local/sklearn:1.2', { pull: false });
    expect(!r.ok && r.error.message).toBe('image "cairn-local/sklearn:1.2" is not present locally; build it with containers/images/build-test-images.sh');
  });

  it('explains a mapped registry image that is missing and cannot be pulled', async () => {
    const resolver = new DockerImageResolver(new FixedRegistryRuntime(), new ImageMap({ [SKL]: 'registry.example/sk:1' }, '/proj/cairn.json'));
    const r = await resolver.resolve(SKL, { pull: false });
    expect(!r.ok && r.error.message).toBe(
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
    const r = await new DockerImageResolver(new Pullable(), ImageMap.empty()).resolve(SKL, { pull: false });
    expect(r).toEqual({ ok: true, value: { uri: SKL, local: SKL, pullable: true } });
  });
});
