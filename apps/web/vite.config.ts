import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const hub = process.env.AFTERHOURS_HUB ?? 'http://127.0.0.1:8080';

// The web app imports only types from @afterhours/shared (the schemas would pull zod into the
// bundle); the alias points at the sources because the package's dist is built for the server only.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@afterhours/shared': fileURLToPath(new URL('../../packages/shared/src/index.ts', import.meta.url)) },
  },
  build: { target: 'es2022', sourcemap: true, assetsInlineLimit: 0 },
  server: { proxy: { '/api': { target: hub, changeOrigin: false } } },
});
