import type { ReferencedStep } from './step-properties.js';

/** The names a reference may point at. */
export interface ReferenceScope {
  parameters: ReadonlySet<string>;
  steps: ReadonlyMap<string, ReferencedStep>;
}
