import { fileURLToPath } from 'node:url';
import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig, type Plugin } from 'vite';
import { precompress } from './precompress.plugin.js';

const widgetDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * Minifiers leave template literals alone. The Lit templates are minified by
 * the Lit team's plugin; the stylesheet is a plain string, squeezed here
 * (comments and the spaces around punctuation go). Together about 0.5 KB gzip.
 */
function squeezeStylesheet(): Plugin {
  return {
    name: 'squeeze-stylesheet',
    transform(code, id) {
      if (!id.endsWith('coach-booking.styles.ts')) return null;
      return code.replace(/`([^`]*)`/, (_, css: string) => `\`${css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s*([{};:,>])\s*/g, '$1').replace(/\s+/g, ' ').replace(/;}/g, '}')}\``);
    },
  };
}

/**
 * Library mode: one self-contained ES module, Lit and the contract schemas
 * inside, that a host page loads with a single <script type="module">.
 * Paths are relative to this file so the build works from any directory.
 */
export default defineConfig({
  root: widgetDir,
  publicDir: false,
  // The Lit template minifier is a Rollup plugin, typed against Rollup's hooks; Vite runs it as is.
  // precompress writes coach-booking.js.br and .gz beside the script, for the server to serve by Accept-Encoding.
  plugins: [minifyHtmlLiterals({ include: ['**/widget/element/*.ts'], options: { minifyOptions: { removeAttributeQuotes: true } } }) as unknown as Plugin, squeezeStylesheet(), precompress()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    reportCompressedSize: true,
    // The bundled licences (Lit's BSD-3-Clause notice) ship beside the script rather than inside it, where every student would download them.
    license: { fileName: 'coach-booking.licenses.md' },
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
        comments: { annotation: false, jsdoc: false, legal: false },
      },
    },
  },
});
