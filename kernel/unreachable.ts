/**
 * The end of an exhaustive switch: `default: return unreachable(x)` makes the compiler refuse a union member the switch
 * does not handle (`x` is then not `never`). At run time (a value from outside the types) it throws.
 */
export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
