import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el } from './dom.js';

export interface Series { label: string; values: { value: number; seq: number }[] }

const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

/**
 * One line chart (uPlot: drag to zoom, double-click to reset) of several series over their position in the log
 * (`seq`), e.g. the attempts of one metric or the runs being compared. The element's `data-points` holds each
 * series' number of points, comma-separated, as drawn.
 */
export function lineChart(title: string, series: readonly Series[], width = 560): HTMLElement {
  const box = el('div', { class: 'chart', 'data-metric': title, 'data-points': series.map((s) => s.values.length).join(',') }, el('h4', {}, title));
  const xs = [...new Set(series.flatMap((s) => s.values.map((v) => v.seq)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const row: (number | null)[] = xs.map(() => null);
    for (const v of s.values) row[index.get(v.seq)!] = v.value;
    return row;
  });
  const opts: uPlot.Options = {
    width, height: 220,
    scales: { x: { time: false } },
    axes: [{ label: 'value #' }, {}],
    series: [{ label: '#' }, ...series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length]!, width: 2, spanGaps: true, points: { show: true, size: 4 } }))],
    cursor: { drag: { x: true, y: false } },
  };
  queueMicrotask(() => new uPlot(opts, [xs, ...ys] as uPlot.AlignedData, box));
  return box;
}
