#!/usr/bin/env node
// Entry point for the `eds` command: a thin shim over the compiled CLI.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  process.stderr.write(`eds: Node ${process.versions.node} is too old; Node 20.19 or newer is needed.\n`);
  process.exit(1);
}
try {
  const { main } = await import('../dist/cli/main.js');
  await main(process.argv.slice(2));
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('eds: the program is not built; run `npm install` (or `npm run build`) in the eds folder.\n');
    process.exit(1);
  }
  throw err;
}
