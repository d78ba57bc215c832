import { get } from './api.js';
import { ansiSpans, collapseCarriageReturns } from './ansi.js';
import { el } from './dom.js';

interface Chunk { attempt: number; text: string; offset: number; done: boolean }

/** A step attempt's container log, streamed while the attempt runs (polled by offset), colours and `\r` applied. */
export function logView(runId: string, step: string, attempt: number | undefined): { element: HTMLElement; stop: () => void } {
  const pre = el('pre', { class: 'log', 'data-log': step });
  let raw = '';
  let offset = 0;
  let stopped = false;
  let timer: number | undefined;
  const paint = (): void => {
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.replaceChildren(...ansiSpans(collapseCarriageReturns(raw)).map((s) => (s.classes.length === 0 ? document.createTextNode(s.text) : el('span', { class: s.classes.join(' ') }, s.text))));
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  };
  const pump = async (): Promise<void> => {
    if (stopped) return;
    try {
      const q = new URLSearchParams({ offset: String(offset) });
      if (attempt !== undefined) q.set('attempt', String(attempt));
      const c = await get<Chunk>(`runs/${encodeURIComponent(runId)}/steps/${encodeURIComponent(step)}/log?${q.toString()}`);
      if (c.text !== '') { raw += c.text; paint(); }
      const more = c.offset > offset;
      offset = c.offset;
      if (!c.done || more) timer = window.setTimeout(() => void pump(), more ? 50 : 500);
      else pre.dataset.done = 'true';
    } catch (e) {
      pre.textContent = raw === '' ? (e as Error).message : raw;
      pre.dataset.done = 'true';
    }
  };
  void pump();
  return { element: pre, stop: () => { stopped = true; if (timer !== undefined) window.clearTimeout(timer); } };
}
