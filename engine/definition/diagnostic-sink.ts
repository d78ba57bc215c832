import type { Diagnostic } from '../../kernel/diagnostic.js';
import type { Position } from './source-map.js';

/** Path text used for problems with the whole document. */
export const ROOT_PATH = '$';

/** Collects diagnostics for one file, placing each at the value its JSON path names. */
export class DiagnosticSink {
  private readonly items: Diagnostic[] = [];

  constructor(
    private readonly file: string,
    private readonly locate: (path: string) => Position,
  ) {}

  report(path: string, code: string, message: string, step?: string): void {
    const { line, column } = this.locate(path === ROOT_PATH ? '' : path);
    const d: Diagnostic = { file: this.file, line, column, path, code, message };
    if (step !== undefined) d.step = step;
    this.items.push(d);
  }

  get count(): number {
    return this.items.length;
  }

  /** All diagnostics, by position in the file (ties keep the order they were found in). */
  sorted(): Diagnostic[] {
    return [...this.items].sort((a, b) => a.line - b.line || a.column - b.column);
  }
}
