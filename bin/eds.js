#!/usr/bin/env node
// Entry point for the `eds` command: a thin shim over the compiled CLI.
import { statSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`eds: Node ${process.versions.node} is too old; Node 20.19 or newer is needed.\n`);
  process.exit(1);
}
// Node 22.1+ keeps the compiled code of the modules between runs (Node 20 has no such cache for ES modules).
try {
  (await import('node:module')).enableCompileCache?.();
} catch {
  // A cache directory that cannot be written costs only speed.
}

/** The bundle (scripts/bundle.mjs) when it was built from the current tsc output, else tsc's own modules. */
function entry() {
  try {
    const bundle = statSync(new URL('../dist/bundle/eds.js', import.meta.url)).mtimeMs;
    const compiled = statSync(new URL('../dist/cli/main.js', import.meta.url)).mtimeMs;
    // tsc rewrites every file it emits: a bundle older than its input is stale (built before the last `tsc`).
    if (bundle >= compiled) return '../dist/bundle/eds.js';
  } catch {
    // No bundle (esbuild was missing at build time) or no build at all: the import below says which.
  }
  return '../dist/cli/main.js';
}

try {
  const { main } = await import(entry());
  await main(process.argv.slice(2));
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('eds: the program is not built; run `npm install` (or `npm run build`) in the eds folder.\n');
    process.exit(1);
  }
  throw err;
}
