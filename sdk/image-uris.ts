import { frameworkImageUri as tensorflowImageUri } from '../containers/framework-images.js';
/**
 * Image URIs of the SageMaker deep learning containers, built the way sagemaker.image_uris.retrieve does for the
 * frameworks cairn's SDK knows: `<account>.dkr.ecr.<region>.amazonaws.com/<framework>-<scope>:<version>-<cpu|gpu>-<py>`.
 * The version is used as given (write the full version, e.g. "2.11.0": the SDK's short-version aliases are not
 * reproduced).
 */
export const DEFAULT_REGION = 'us-east-1';
const DLC_ACCOUNT = '763104351884';

export type Framework = 'tensorflow' | 'pytorch';

/** `cpu` or `gpu` from an instance type, as the SDK decides (`ml.p*` and `ml.g*` families are GPU). */
export function processorOf(instanceType: string): 'cpu' | 'gpu' {
  const family = instanceType.split('.')[1] ?? '';
  return family.startsWith('p') || family.startsWith('g') ? 'gpu' : 'cpu';
}

export interface ImageUriOptions {
  framework: Framework;
  frameworkVersion: string;
  pyVersion: string;
  instanceType: string;
  region?: string;
  scope?: 'training' | 'inference';
}

export function frameworkImageUri(o: ImageUriOptions): string {
  if (!o.frameworkVersion) throw new Error(`${o.framework}: frameworkVersion is required to pick the image`);
  if (o.framework === 'tensorflow') {
    // The SDK's own table of TensorFlow versions, Python versions and registries (containers/framework-images.ts).
    const r = tensorflowImageUri({
      framework: 'tensorflow', version: o.frameworkVersion, pyVersion: o.pyVersion === 'py3' ? undefined : o.pyVersion,
      instanceType: o.instanceType, region: o.region ?? DEFAULT_REGION, scope: o.scope ?? 'training',
    });
    if (!r.ok) throw new Error(r.error);
    return r.value;
  }
  if (!o.pyVersion) throw new Error(`${o.framework}: pyVersion is required to pick the image (e.g. "py39")`);
  const region = o.region ?? DEFAULT_REGION;
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const tag = `${o.frameworkVersion}-${processorOf(o.instanceType)}-${o.pyVersion}`;
  return `${DLC_ACCOUNT}.dkr.ecr.${region}.${domain}/${o.framework}-${o.scope ?? 'training'}:${tag}`;
}
