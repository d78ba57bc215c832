import './style.css';
import { comparePage } from './compare-page.js';
import { clear, el } from './dom.js';
import { groupPage, modelsPage, versionPage } from './models-page.js';
import { artifactPage, experimentsPage } from './other-pages.js';
import { runPage } from './run-page.js';
import { runsPage } from './runs-page.js';

/**
 * Hash routes, so every page has a deep link that the server need not know: #/runs, #/runs/<id>, #/runs/<id>/steps/<s>,
 * #/compare?runs=a,b, #/experiments, #/models, #/models/<g>, #/models/<g>/<v>, #/artifacts/<run>/<step>/<output>?path=.
 */
const app = document.getElementById('app')!;
let leave: () => void = () => undefined;

function route(): void {
  leave();
  const hash = location.hash.replace(/^#/, '') || '/runs';
  const [path = '', query = ''] = hash.split('?');
  const q = new URLSearchParams(query);
  const p = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('here', (a.getAttribute('href') ?? '').slice(2) === p[0]));
  if (p[0] === 'runs' && p.length === 1) leave = runsPage(app, q);
  else if (p[0] === 'runs' && p.length === 2) leave = runPage(app, p[1]!, undefined);
  else if (p[0] === 'runs' && p.length === 4 && p[2] === 'steps') leave = runPage(app, p[1]!, p[3]!);
  else if (p[0] === 'compare') leave = comparePage(app, q);
  else if (p[0] === 'experiments') leave = experimentsPage(app);
  else if (p[0] === 'models' && p.length === 1) leave = modelsPage(app);
  else if (p[0] === 'models' && p.length === 2) leave = groupPage(app, p[1]!);
  else if (p[0] === 'models' && p.length === 3) leave = versionPage(app, p[1]!, p[2]!);
  else if (p[0] === 'artifacts' && p.length === 4) leave = artifactPage(app, p[1]!, p[2]!, p[3]!, q);
  else { clear(app, el('p', { class: 'error' }, `no page at #${hash}`)); leave = () => undefined; }
}

window.addEventListener('hashchange', route);
route();
