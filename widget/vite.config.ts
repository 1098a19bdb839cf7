import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from './precompress.plugin.js';

const widgetDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * Library mode: one self-contained ES module, Lit and the contract schemas
 * inside, that a host page loads with a single <script type="module">.
 * Paths are relative to this file so the build works from any directory.
 */
export default defineConfig({
  root: widgetDir,
  publicDir: false,
  // coach-booking.js.br and .gz beside the script, for the server to serve by Accept-Encoding.
  plugins: [precompress()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    reportCompressedSize: true,
    lib: {
      entry: fileURLToPath(new URL('./element/coach-booking.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'coach-booking.js',
    },
    rolldownOptions: {
      // Nothing is external: host pages must not need an import map or a second script.
      external: [],
      output: {
        // Vite keeps ES libraries readable for downstream bundlers; this file goes straight to browsers.
        minify: true,
        comments: { annotation: false, jsdoc: false, legal: true },
      },
    },
  },
});
