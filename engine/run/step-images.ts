import type { ImageProblem, ImageResolver } from '../../contracts/image-resolver.js';
import { isJsonObject, type JsonValue } from '../../kernel/json.js';
import { resolveValue } from '../definition/expressions.js';
import type { Definition, ParameterValue, StepDef } from '../../contracts/definition.js';

/** Where each step type names its container image inside Arguments. */
const IMAGE_FIELD: Record<string, string[]> = {
  Processing: ['AppSpecification', 'ImageUri'],
  Training: ['AlgorithmSpecification', 'TrainingImage'],
  Model: ['PrimaryContainer', 'Image'],
};

/** The image a step names, when it can be known before anything runs (literal, parameter, or execution variable). */
export function stepImageUri(step: StepDef, parameters: Record<string, ParameterValue>, execution: Record<string, string>): string | undefined {
  const field = IMAGE_FIELD[step.type];
  if (field === undefined) return undefined;
  let v: JsonValue | undefined = step.arguments;
  for (const k of field) v = isJsonObject(v) ? v[k] : undefined;
  if (v === undefined) return undefined;
  const r = resolveValue(v, { parameters, execution, stepProperties: () => undefined });
  return r.ok && typeof r.value === 'string' ? r.value : undefined;
}

export interface ImageCheck {
  step: string;
  uri: string;
  status: 'present' | 'mapped' | 'pullable' | 'missing';
  local: string;
  /** Why a `missing` image cannot be had (cli/render-refusal.ts words it). */
  problem?: ImageProblem;
}

/** Checks every step's image without pulling: present, mapped to a present local image, pullable, or missing (with the fix). */
export async function checkImages(
  images: ImageResolver, def: Definition, parameters: Record<string, ParameterValue>, execution: Record<string, string>,
): Promise<ImageCheck[]> {
  const out: ImageCheck[] = [];
  const seen = new Map<string, Awaited<ReturnType<ImageResolver['resolve']>>>();
  for (const step of def.steps) {
    const uri = stepImageUri(step, parameters, execution);
    if (uri === undefined) continue;
    let r = seen.get(uri);
    if (r === undefined) {
      r = await images.resolve(uri, { pull: false });
      seen.set(uri, r);
    }
    if (!r.ok) out.push({ step: step.name, uri, status: 'missing', local: r.error.local, problem: r.error });
    else if ('pullable' in r.value) out.push({ step: step.name, uri, status: 'pullable', local: r.value.local });
    else out.push({ step: step.name, uri, status: r.value.via === 'mapped' ? 'mapped' : 'present', local: r.value.local });
  }
  return out;
}
