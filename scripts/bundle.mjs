// `npm run build`'s bundle step: the compiled CLI (dist/cli/main.js) and what it imports, node_modules included, as a
// few ES modules in dist/bundle/, which bin/eds.js loads. Node resolving and reading the ~180 small modules of ink,
// react, yargs and zod costs about half of the first frame; one file costs a few milliseconds.
//
// - Input is tsc's output (dist/), so the bundle runs the very code the tests run; it is only concatenated.
// - Lazy `import()`s stay lazy: code splitting puts each in a chunk of its own, loaded when the command needs it.
// - Native and heavy packages stay outside (better-sqlite3's binding, tfjs and its wasm files): Node resolves them
//   from dist/bundle/ as it did from dist/, and they load when they did.
// - Each bundled module still sees its own `import.meta.url` (dist/version.js finds the package root from it,
//   dist/lessons/sealed.js its seal, yargs its locales), rewritten relative to the chunk it lands in.
// - React runs its production build, as a shipped program should (no development checks on every render).
// - Two dependencies get an edit each for time before the first frame (scripts/bundle-patches.mjs says which, why).
//
// Without esbuild (a devDependency's dependency) the step says so and leaves no bundle; bin/eds.js then loads
// dist/cli/main.js, which works, only slower to start.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { patchSource } from './bundle-patches.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle');

/** Packages Node must load from node_modules: native bindings, wasm files found by package path, tfjs's size. */
const EXTERNAL = ['better-sqlite3', '@tensorflow/*', 'react-devtools-core'];
/** Our modules that stay tsc's files: dist/nn/tf.js re-exports all of tfjs (`export *`), which a bundle cannot see into. */
const OWN_EXTERNAL = [join(ROOT, 'dist', 'nn', 'tf.js')];

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  rmSync(OUT, { recursive: true, force: true });
  process.stderr.write('eds build: esbuild is not installed, so there is no bundle; eds starts from dist/cli/main.js (slower).\n');
  process.exit(0);
}

/** Every bundled module keeps its own URL (`import.meta.url` becomes its original file, relative to its chunk); OWN_EXTERNAL stays outside. */
const ownUrl = {
  name: 'own-urls',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      const file = resolve(args.resolveDir, args.path);
      return OWN_EXTERNAL.includes(file) ? { path: relative(OUT, file).split('\\').join('/'), external: true } : undefined;
    });
    build.onLoad({ filter: /\.(m?js|cjs)$/ }, (args) => {
      const original = readFileSync(args.path, 'utf8');
      let text = patchSource(args.path, original, (message) => process.stderr.write(`eds build: ${message}\n`));
      if (text.includes('import.meta.url')) {
        const rel = relative(OUT, args.path).split('\\').join('/');
        text = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
      }
      return text === original ? undefined : { contents: text, loader: 'js' };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: { eds: join(ROOT, 'dist', 'cli', 'main.js') },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  define: { 'process.env.NODE_ENV': '"production"' },
  // CommonJS packages (react, scheduler) call require() for Node's own modules: give the bundle one.
  banner: { js: "import { createRequire as __edsRequire } from 'node:module'; const require = __edsRequire(import.meta.url);" },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  chunkNames: 'chunk-[hash]',
  plugins: [ownUrl],
  logLevel: 'warning',
  // A name the bundle cannot find would be `undefined` at run time: fail the build instead.
  logOverride: { 'import-is-undefined': 'error' },
});
