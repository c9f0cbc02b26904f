import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The editor is built into dist/editor and served by the runtime at `/`.
// In dev (`npm run dev`) Vite proxies the runtime's routes so the editor talks to a live server.
const runtime = process.env.TOLLGATE_RUNTIME_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  root: 'editor',
  plugins: [react()],
  // One bundle of ~640 kB (React, React Flow, zod and the compiler), cached for an hour by the runtime.
  build: { outDir: '../dist/editor', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: {
    port: 5173,
    proxy: { '/api': runtime, '/v1': runtime, '/healthz': runtime },
  },
});
