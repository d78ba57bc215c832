const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const ISO = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const ISO_UNITS = [365 * DAY, 30 * DAY, 7 * DAY, DAY, HOUR, MINUTE, SECOND];
const SHORT = /^(\d+)(w|d|h|m|s)$/;
const SHORT_UNITS: Record<string, number> = { w: 7 * DAY, d: DAY, h: HOUR, m: MINUTE, s: SECOND };

/**
 * A cache expiry in milliseconds: ISO-8601 (`P30D`, `PT1H`, `P1W`, `P1DT2H`; a year is 365 days and a month 30) or the
 * SDK's short form (`30d`, `12h`, `2w`, `90m`, `45s`). Undefined when the text is neither.
 */
export function parseDuration(text: string): number | undefined {
  const iso = ISO.exec(text);
  if (iso !== null) {
    const parts = iso.slice(1);
    if (parts.every((p) => p === undefined) || text.endsWith('T')) return undefined;
    return parts.reduce((sum, p, i) => sum + (p === undefined ? 0 : Number(p) * (ISO_UNITS[i] ?? 0)), 0);
  }
  const short = SHORT.exec(text);
  if (short !== null) return Number(short[1]) * (SHORT_UNITS[short[2] ?? ''] ?? 0);
  return undefined;
}
