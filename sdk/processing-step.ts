import { Join, ExecutionVariables } from './entities.js';
import type { BuildContext } from './build-context.js';
import type { ProcessingRun } from './processing.js';
import type { PropertyFile } from './property-file.js';
import { ProcessingStepProperties } from './properties.js';
import { Step, type CacheableStepOptions } from './steps.js';

export type ProcessingStepOptions<N extends string> = CacheableStepOptions & {
  /** JSON files the step writes into its outputs, for `JsonGet` (the step's `PropertyFiles`). */
  propertyFiles?: PropertyFile<NoInfer<N>>[];
} & (ProcessingRun<N> | { stepArgs: ProcessingRun<N> });

/** sagemaker.workflow.steps.ProcessingStep. `N` is the union of its output names, used by `properties`. */
export class ProcessingStep<const N extends string = string> extends Step {
  readonly stepType = 'Processing';
  readonly properties: ProcessingStepProperties<N>;
  readonly processing: ProcessingRun<N>;
  readonly propertyFiles: readonly PropertyFile[];

  constructor(opts: ProcessingStepOptions<N>) {
    super(opts);
    this.processing = 'stepArgs' in opts ? opts.stepArgs : opts;
    if (this.processing.processor === undefined) throw new Error(`step "${this.name}": a ProcessingStep needs a "processor" or "stepArgs" (processor.run(...))`);
    this.processing.processor.codeSetup(this.processing.code, this.processing.sourceDir, undefined);
    const names = this.outputNames();
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new Error(`step "${this.name}": two outputs are named "${dup}"`);
    this.propertyFiles = [...(opts.propertyFiles ?? [])];
    for (const f of this.propertyFiles) {
      if (!names.includes(f.outputName)) {
        throw new Error(`step "${this.name}": property file "${f.name}" names output "${f.outputName}", which the step does not have (${names.map((n) => `"${n}"`).join(', ') || 'it has no outputs'})`);
      }
    }
    this.properties = new ProcessingStepProperties<N>(this.name, () => this.outputNames());
  }

  /** Output names, `output-<n>` for unnamed ones (as the SDK names them). */
  outputNames(): string[] {
    return (this.processing.outputs ?? []).map((o, i) => o.outputName ?? `output-${i + 1}`);
  }

  arguments(ctx: BuildContext): Record<string, unknown> {
    const p = this.processing;
    const code = p.processor.codeSetup(p.code, p.sourceDir, ctx);
    const inputs = [...(p.inputs ?? []), ...code.inputs].map((input, i) => input.toRequest(`input-${i + 1}`));
    const outputs = (p.outputs ?? []).map((o, i) => {
      const name = o.outputName ?? `output-${i + 1}`;
      return o.toRequest(name, o.destination ?? this.defaultOutputUri(ctx, name));
    });
    const args: Parameters<typeof p.processor.jobArguments>[0] = { inputs, outputs };
    if (p.jobArguments !== undefined) args.arguments = p.jobArguments;
    if (code.entrypoint !== undefined) args.entrypoint = code.entrypoint;
    return p.processor.jobArguments(args);
  }

  override toRequest(ctx: BuildContext): Record<string, unknown> {
    const r = super.toRequest(ctx);
    if (this.propertyFiles.length > 0) r.PropertyFiles = this.propertyFiles.map((f) => f.toRequest());
    return r;
  }

  /** What the SDK writes inside a pipeline when an output has no s3:// destination. */
  private defaultOutputUri(ctx: BuildContext, output: string): Join {
    return new Join({
      on: '/',
      values: ['s3:/', ctx.defaultBucket, ctx.pipelineName, ExecutionVariables.PIPELINE_EXECUTION_ID, this.name, 'output', output],
    });
  }
}
