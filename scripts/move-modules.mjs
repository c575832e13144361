// Moves source modules and rewrites every relative import (static, dynamic, vi.mock, new URL) that points at one,
// in src/, test/ and scripts/. Usage: node scripts/move-modules.mjs old.ts=new.ts ... (paths from the repo root).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = process.cwd();
const moves = new Map(process.argv.slice(2).map((a) => a.split('=').map((p) => resolve(root, p))));
const walk = (d) =>
  readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? (n === 'node_modules' || n === 'dist' || n === 'goldens' ? [] : walk(p)) : [p];
  });
const files = ['src', 'test', 'scripts', 'bin']
  .filter((d) => existsSync(d))
  .flatMap((d) => walk(resolve(root, d)))
  .filter((p) => /\.(ts|tsx|mts|mjs|js)$/.test(p));
const sourceOf = (abs) => {
  if (existsSync(abs) && statSync(abs).isFile()) return abs;
  for (const [a, b] of [
    ['.js', '.ts'],
    ['.js', '.tsx'],
    ['.mjs', '.mts'],
  ])
    if (abs.endsWith(a)) {
      const s = abs.slice(0, -a.length) + b;
      if (existsSync(s)) return s;
    }
  return null;
};
const specOf = (fromDir, target, oldSpec) => {
  const ext = oldSpec.match(/\.(m?js|tsx?)$/)?.[0] ?? '';
  let t = target;
  const srcExt = target.match(/\.(mts|tsx?|m?js)$/)?.[0] ?? '';
  if (ext && srcExt && ext !== srcExt) t = target.slice(0, -srcExt.length) + ext;
  let r = relative(fromDir, t);
  if (!r.startsWith('.')) r = './' + r;
  return r;
};
let changed = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const newFile = moves.get(file) ?? file;
  const out = text.replace(/(['"`])(\.\.?\/[^'"`\n]*)\1/g, (m, q, spec) => {
    const src = sourceOf(resolve(dirname(file), spec));
    if (!src) return m;
    const dest = moves.get(src) ?? src;
    if (dest === src && newFile === file) return m;
    return q + specOf(dirname(newFile), dest, spec) + q;
  });
  if (out !== text) {
    writeFileSync(file, out);
    changed++;
  }
}
for (const [from, to] of moves) {
  mkdirSync(dirname(to), { recursive: true });
  execFileSync('git', ['mv', from, to]);
}
console.log(`moved ${moves.size} files, rewrote imports in ${changed}`);
