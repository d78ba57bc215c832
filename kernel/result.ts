/** Expected failures travel as values; exceptions are for bugs. */
export type Result<T, F> = { ok: true; value: T } | { ok: false; error: F };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <F>(error: F): { ok: false; error: F } => ({ ok: false, error });
