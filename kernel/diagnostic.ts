/**
 * A problem found in a user's pipeline definition, pointing at the exact place in the file.
 * `path` is a JSON path into the definition such as `Steps[2].DependsOn[0]`.
 */
export interface Diagnostic {
  file: string;
  /** 1-based line and column of the offending JSON value (or of the closest enclosing value that exists). */
  line: number;
  column: number;
  path: string;
  /** The step the problem belongs to, when it belongs to one. */
  step?: string;
  /** Stable machine-readable code, e.g. `unknown-step`, `cycle`, `duplicate-step`. */
  code: string;
  message: string;
}

/** `pipeline.json:12:7 Steps[1].DependsOn[0] (step "Train"): DependsOn names unknown step "Prep"` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.step === undefined ? '' : ` (step "${d.step}")`;
  return `${d.file}:${d.line}:${d.column} ${d.path}${where}: ${d.message}`;
}
