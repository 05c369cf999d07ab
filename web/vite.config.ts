/**
 * Vite configuration of the dashboard: sources in web/, built into dist/web (served by the centre,
 * src/api/web-app.ts). `npx vite --config web/vite.config.ts` runs a dev server that forwards the
 * API to a centre on 127.0.0.1:8080 (`npm start`).
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: { outDir: fileURLToPath(new URL('../dist/web', import.meta.url)), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/taxii2': 'http://127.0.0.1:8080' } },
});
