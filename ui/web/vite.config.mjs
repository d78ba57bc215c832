// Builds cairn ui's pages (ui/web) into dist/ui/app: one HTML file and hashed assets, no CDN at run time.
import { fileURLToPath, URL } from 'node:url';

export default {
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/ui/app', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1000,
  },
};
