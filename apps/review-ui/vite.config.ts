import { defineConfig } from 'vite';

// No React plugin: esbuild's automatic JSX runtime is all a production build needs (fewer deps, offline build).
export default defineConfig({
  base: '/review/',
  root: new URL('.', import.meta.url).pathname,
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
