import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const hub = process.env.AFTERHOURS_HUB ?? 'http://127.0.0.1:8080';

// JSX is compiled by Vite's own esbuild (automatic runtime, from tsconfig "jsx": "react-jsx").
// @vitejs/plugin-react is not used: in this workspace it resolves the root's Vite 8 (hoisted for
// vitest), takes itself for rolldown-vite and breaks Vite 7's dev server. Without it the dev
// server reloads the page on change instead of Fast Refresh.
//
// The web app imports only types from @afterhours/shared (the schemas would pull zod into the
// bundle); the alias points at the sources because the package's dist is built for the server.
/**
 * Writes a .br and a .gz beside every text file of the build, compressed once at their best settings,
 * which the hub sends as they are (@fastify/static preCompressed) instead of compressing on each request.
 */
function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'afterhours-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const path = join(dir, name);
          return statSync(path).isDirectory() ? walk(path) : [path];
        });
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|webmanifest|json)$/.test(file)) continue;
        const data = readFileSync(file);
        if (data.length < 1024) continue;
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
          }),
        );
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [precompress()],
  resolve: {
    // The more specific path first: an alias matches its own path and anything under it.
    alias: [
      {
        find: '@afterhours/shared/support-hours',
        replacement: fileURLToPath(new URL('../../packages/shared/src/support-hours.ts', import.meta.url)),
      },
      {
        find: '@afterhours/shared',
        replacement: fileURLToPath(new URL('../../packages/shared/src/index.ts', import.meta.url)),
      },
    ],
  },
  esbuild: { jsx: 'automatic', jsxImportSource: 'react' },
  build: {
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    // The app, and the small page a shared report link opens (the report alone, no app shell).
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        shared: fileURLToPath(new URL('./shared.html', import.meta.url)),
      },
    },
  },
  server: { proxy: { '/api': { target: hub, changeOrigin: false } } },
  preview: { proxy: { '/api': { target: hub, changeOrigin: false } } },
});
