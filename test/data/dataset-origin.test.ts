// Every dataset says where its rows come from: a real file names its licence and source, and its card says the
// same; a generated one names its model. `eds datasets list` shows the two kinds apart, in text and in JSON.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { listDatasets } from '../../src/experiments/datasets.js';
import { datasetCard } from '../../src/data/cards.js';
import { ROOT } from '../ml/helpers.js';

describe('dataset origins', () => {
  it('names a licence and a source for every real dataset, and its card carries a licence section', () => {
    const real = listDatasets().filter((d) => d.origin.kind === 'real');
    expect(real.length).toBeGreaterThanOrEqual(4);
    for (const d of real) {
      if (d.origin.kind !== 'real') continue;
      expect(d.origin.licence.trim().length, d.name).toBeGreaterThan(2);
      expect(d.origin.source.trim().length, d.name).toBeGreaterThan(5);
      expect(datasetCard(d.name).markdown, d.name).toMatch(/licen[cs]e/i);
    }
  });

  it('names the model of every generated dataset, and no description calls a real file generated', () => {
    for (const d of listDatasets()) {
      if (d.origin.kind === 'generated') expect(d.origin.model.length, d.name).toBeGreaterThan(5);
      else expect(d.description, d.name).not.toMatch(/generated/i);
    }
  });

  it('lists real files and generated datasets under their own headings, and marks them in --json', () => {
    const text = execFileSync(process.execPath, ['bin/eds.js', 'datasets', 'list'], { cwd: ROOT, encoding: 'utf8' });
    const [realPart, generatedPart] = text.split(/^Generated per seed/m);
    expect(generatedPart).toBeDefined();
    for (const d of listDatasets()) {
      const inReal = new RegExp(`^  ${d.name} `, 'm').test(realPart!);
      expect(inReal, d.name).toBe(d.origin.kind === 'real');
    }
    const json = JSON.parse(execFileSync(process.execPath, ['bin/eds.js', 'datasets', 'list', '--json'], { cwd: ROOT, encoding: 'utf8' }));
    const byName = new Map<string, { origin: { kind: string; licence?: string } }>(json.datasets.map((d: { name: string }) => [d.name, d]));
    expect(byName.get('iris')?.origin).toMatchObject({ kind: 'real', licence: expect.stringMatching(/BSD/) });
    expect(byName.get('volcano')?.origin.kind).toBe('generated');
  });
});
