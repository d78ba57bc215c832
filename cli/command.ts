import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * One `cairn` sub-command. `run` returns the process exit code: 0 ok, 1 run failed or stopped, 2 invalid input.
 * Its one-line summary lives in cli/main.ts's table, so that `cairn --help` loads no command module.
 */
export interface Command {
  name: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

export const EXIT = { ok: 0, failed: 1, invalid: 2 } as const;

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
type Help = { help: { type: 'boolean'; short: 'h' } };
/** What `parseArgs` returns for these options (named, so that the declaration build can write it down). */
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O & Help; allowPositionals: true; strict: true }>>;
export type ParseResult<O extends Options> = { help: true } | { help: false; values: Parsed<O>['values']; positionals: string[] };

/** Strict option parsing: an unknown flag or a missing value is a usage error (exit 2), `--help` prints usage. */
export function parse<O extends Options>(cmd: Pick<Command, 'usage'>, argv: string[], options: O, positionals: { min: number; max: number }): ParseResult<O> {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as O & Help;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: all, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${cmd.usage}`);
  }
  if ((parsed.values as Record<string, unknown>).help === true) return { help: true };
  if (parsed.positionals.length < positionals.min || parsed.positionals.length > positionals.max) {
    throw new UsageError(`wrong number of arguments\n\n${cmd.usage}`);
  }
  return { help: false, values: parsed.values, positionals: parsed.positionals };
}
