import { describe, expect, it } from 'vitest';
import { ansiSpans, collapseCarriageReturns } from '../../ui/web/ansi.js';

describe('the UI log view', () => {
  it('collapses \\r progress updates to the last state of each line', () => {
    expect(collapseCarriageReturns('start\n10%\r50%\r100%\ndone\r\n')).toBe('start\n100%\ndone\n');
    expect(collapseCarriageReturns('a\rb\rc')).toBe('c');
  });

  it('renders SGR colours and bold as classes and drops every other escape sequence', () => {
    expect(ansiSpans('plain \x1b[1;31merror\x1b[0m ok\x1b[2K \x1b[94mblue\x1b[39m end')).toEqual([
      { text: 'plain ', classes: [] },
      { text: 'error', classes: ['ansi-fg-31', 'ansi-bold'] },
      { text: ' ok ', classes: [] },
      { text: 'blue', classes: ['ansi-fg-94'] },
      { text: ' end', classes: [] },
    ]);
    expect(ansiSpans('\x1b[42mbg\x1b[49m\x1b')).toEqual([{ text: 'bg', classes: ['ansi-bg-42'] }]);
  });
});
