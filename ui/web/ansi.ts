/**
 * A container log as the terminal would show it: `\r` progress lines collapsed to their last state, and ANSI SGR
 * colours (30–37, 90–97, 40–47, bold) rendered as spans; every other escape sequence is dropped. Pure: testable.
 */
export interface Span { text: string; classes: string[] }

export function collapseCarriageReturns(text: string): string {
  return text.split('\n').map((line) => {
    const parts = line.replace(/\r$/, '').split('\r');
    return parts[parts.length - 1] ?? '';
  }).join('\n');
}

const E = String.fromCharCode(27);
const ESC = new RegExp(`${E}\\[([0-9;]*)([A-Za-z])`, 'g');
const STRAY = new RegExp(`${E}(?:\\[[0-9;?]*[A-Za-z]?)?`, 'g');

export function ansiSpans(text: string): Span[] {
  const out: Span[] = [];
  let fg: string | undefined;
  let bg: string | undefined;
  let bold = false;
  let last = 0;
  const push = (raw: string): void => {
    const s = raw.replace(STRAY, '');
    if (s === '') return;
    const classes = [fg, bg, bold ? 'ansi-bold' : undefined].filter((c): c is string => c !== undefined);
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.classes.join(' ') === classes.join(' ')) prev.text += s;
    else out.push({ text: s, classes });
  };
  for (const m of text.matchAll(ESC)) {
    push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] !== 'm') continue;
    const codes = (m[1] === '' ? '0' : m[1]!).split(';').map(Number);
    for (const c of codes) {
      if (c === 0) { fg = undefined; bg = undefined; bold = false; }
      else if (c === 1) bold = true;
      else if (c === 22) bold = false;
      else if ((c >= 30 && c <= 37) || (c >= 90 && c <= 97)) fg = `ansi-fg-${c}`;
      else if (c === 39) fg = undefined;
      else if (c >= 40 && c <= 47) bg = `ansi-bg-${c}`;
      else if (c === 49) bg = undefined;
    }
  }
  push(text.slice(last));
  return out;
}
