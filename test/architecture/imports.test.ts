// The layer rules of src/README.md, enforced: no import circles, and no module importing a folder of its own
// layer (other than its own folder) or of a layer above. The layer table and the folder list are read from
// src/README.md, so the document and the code cannot drift apart.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { circlePath, importCircles, importGraph, type ImportGraph } from './graph.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const README = readFileSync(join(SRC, 'README.md'), 'utf8');

/**
 * Imports that break the layer order on purpose, each with its reason. Keep this list short: move code or types
 * instead. An entry that no longer occurs fails the test, so the list shrinks as the code is fixed.
 */
const EXCEPTIONS: readonly { from: string; to: string; why: string }[] = [];

/** The ```layers block of src/README.md: layer number → folder or root-file names, bottom first. */
function readmeLayers(): Map<string, number> {
  const block = /```layers\n([\s\S]*?)```/.exec(README);
  if (!block?.[1]) throw new Error('src/README.md has no ```layers block');
  const layerOf = new Map<string, number>();
  for (const line of block[1].split('\n')) {
    const match = /^(\d+)\s+(.+)$/.exec(line.trim());
    if (!match?.[1] || !match[2]) continue;
    for (const name of match[2].split(/\s+/)) layerOf.set(name, Number(match[1]));
  }
  return layerOf;
}

/** 'experiments/river.ts' → 'experiments'; a file at the root of src/ is its own unit: 'errors.ts'. */
function unitOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? file : file.slice(0, slash);
}

function directories(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => [`${prefix}${e.name}`, ...directories(join(dir, e.name), `${prefix}${e.name}/`)]);
}

const graph: ImportGraph = importGraph(SRC);
const layers = readmeLayers();
const isException = (from: string, to: string) => EXCEPTIONS.some((e) => e.from === from && e.to === to);

describe('src/ layout', () => {
  it('finds the import graph (a sanity check on the parser)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('experiments/common.ts')).toContain('data/csv.ts');
    // A lazy import() is an edge too.
    expect(graph.get('experiments/common.ts')).toContain('experiments/datasets.ts');
  });

  it('names every top-level folder and root file of src/ in exactly one layer', () => {
    const units = new Set([...graph.keys()].map(unitOf));
    const missing = [...units].filter((u) => !layers.has(u)).sort();
    const stale = [...layers.keys()].filter((u) => !units.has(u)).sort();
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it('has a line for every folder under src/ in src/README.md', () => {
    const folders = README.slice(README.indexOf('## Folders'));
    const missing = directories(SRC).filter((d) => {
      const name = d.split('/').at(-1) ?? d;
      // A top-level folder opens its own line; a subfolder is named on its parent's line.
      return d.includes('/') ? !folders.includes(`\`${name}/\``) : !new RegExp(`^- \`${name}/\``, 'm').test(folders);
    });
    expect(missing).toEqual([]);
  });

  it('has no import circles', () => {
    const withoutExceptions: ImportGraph = new Map([...graph].map(([from, to]) => [from, to.filter((t) => !isException(from, t))]));
    // Each circle as its files and one loop through them, e.g. a → b → a.
    const circles = importCircles(withoutExceptions).map(
      (members) => `${members.join(', ')}: ${circlePath(withoutExceptions, members[0] ?? '', new Set(members)).join(' → ')}`,
    );
    expect(circles).toEqual([]);
  });

  it('imports only from its own folder or lower layers', () => {
    const violations: string[] = [];
    for (const [from, targets] of graph) {
      const fromUnit = unitOf(from);
      const fromLayer = layers.get(fromUnit) ?? Number.NaN;
      for (const to of targets) {
        const toUnit = unitOf(to);
        if (toUnit === fromUnit || isException(from, to)) continue;
        const toLayer = layers.get(toUnit) ?? Number.NaN;
        if (!(toLayer < fromLayer)) violations.push(`${from} (layer ${fromLayer}) → ${to} (layer ${toLayer})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('lists only exceptions that still occur', () => {
    const stale = EXCEPTIONS.filter((e) => !(graph.get(e.from) ?? []).includes(e.to)).map((e) => `${e.from} → ${e.to}`);
    expect(stale).toEqual([]);
  });
});
