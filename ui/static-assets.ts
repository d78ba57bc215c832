import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.map': 'application/json',
};

export interface Asset { type: string; body: Buffer }

/** Where `npm run build` puts the front end: dist/ui/app (beside this module once built, or under dist/ from source). */
export function defaultAssetsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'app');
  return existsSync(beside) ? beside : join(here, '..', 'dist', 'ui', 'app');
}

/**
 * The built front end, read once into memory by name: a request picks an entry of this map, it never names a file.
 * Keys are URL paths (`/`, `/assets/index-abc.js`).
 */
export function loadAssets(dir: string): Map<string, Asset> {
  const out = new Map<string, Asset>();
  if (!existsSync(dir)) return out;
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = join(dir, rel);
    const type = TYPES[extname(rel)];
    if (type === undefined) continue;
    out.set(`/${rel.split('\\').join('/')}`, { type, body: readFileSync(file) });
  }
  const index = out.get('/index.html');
  if (index !== undefined) out.set('/', index);
  return out;
}
