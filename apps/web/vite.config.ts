import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const hub = process.env.AFTERHOURS_HUB ?? 'http://127.0.0.1:8080';

// JSX is compiled by Vite's own esbuild (automatic runtime, from tsconfig "jsx": "react-jsx").
// @vitejs/plugin-react is not used: in this workspace it resolves the root's Vite 8 (hoisted for
// vitest), takes itself for rolldown-vite and breaks Vite 7's dev server. Without it the dev
// server reloads the page on change instead of Fast Refresh.
//
// The web app imports only types from @afterhours/shared (the schemas would pull zod into the
// bundle); the alias points at the sources because the package's dist is built for the server.
export default defineConfig({
  resolve: {
    alias: { '@afterhours/shared': fileURLToPath(new URL('../../packages/shared/src/index.ts', import.meta.url)) },
  },
  esbuild: { jsx: 'automatic', jsxImportSource: 'react' },
  build: { target: 'es2022', sourcemap: true, assetsInlineLimit: 0 },
  server: { proxy: { '/api': { target: hub, changeOrigin: false } } },
  preview: { proxy: { '/api': { target: hub, changeOrigin: false } } },
});
