// Precompresses the built frontend once, at build time: next to every compressible file in
// dist/ (wasm, js, css, html, json, svg, txt) a `.br` (brotli, best quality) and a `.gz`
// (gzip, level 9), which the server sends as they are to browsers that accept them (so no
// request pays for compression). Uses Node's own zlib: nothing to install. Prints the totals,
// and the first load's (everything but the modules the app imports later, when it needs
// them): the figure the performance budget is about (400 KiB brotli).
//   node scripts/precompress.mjs dist
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = new Set(['.wasm', '.js', '.css', '.html', '.json', '.svg', '.txt', '.map']);
const dir = process.argv[2] ?? 'dist';
let before = 0;
let afterBrotli = 0;
let lazyBrotli = 0;
// Imported by the app when first needed (app/src/ui/markdown.rs), not with the page.
const LAZY = new Set(['markdown.js', 'markdown_bg.wasm']);

function walk(path) {
  for (const name of readdirSync(path)) {
    const file = join(path, name);
    if (statSync(file).isDirectory()) {
      walk(file);
    } else if (COMPRESSIBLE.has(extname(name)) && statSync(file).size > 256) {
      const bytes = readFileSync(file);
      const brotli = brotliCompressSync(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      });
      writeFileSync(`${file}.br`, brotli);
      writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
      before += bytes.length;
      afterBrotli += brotli.length;
      if (path === dir && LAZY.has(name)) lazyBrotli += brotli.length;
    }
  }
}

walk(dir);
console.log(`precompressed ${dir}: ${before} bytes, ${afterBrotli} with brotli`);
console.log(
  `first load: ${afterBrotli - lazyBrotli} bytes with brotli (budget 409600); loaded when needed: ${lazyBrotli}`,
);
