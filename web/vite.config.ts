// Vite builds the app into dist/, which the C++ server serves from "/".
// `npm run dev` proxies /api (HTTP and the WebSocket stream) to a running
// server: CONCORDAT_API=http://127.0.0.1:8080 by default.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const api = process.env.CONCORDAT_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': { target: api, ws: true, changeOrigin: false },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // Two cores shared with a C++ build: keep the test run light.
    pool: 'threads',
    maxWorkers: 1,
  },
});
