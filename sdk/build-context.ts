/** What building a pipeline's definition carries from step to step. */
export interface BuildContext {
  pipelineName: string;
  defaultBucket: string;
  /** Files the SDK would upload to S3 while building the definition (e.g. a FrameworkProcessor's runproc.sh). */
  assets: Asset[];
  /** Step collections by name → the name of their last step (what `DependsOn: ["<collection>"]` means). */
  collections?: Map<string, string>;
}

/** A file the definition refers to that must exist in the object store before the pipeline runs (cairn writes it). */
export type Asset =
  | { uri: string; body: string }
  | { uri: string; file: string }
  | { uri: string; dir: string };
