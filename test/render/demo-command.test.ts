// `eds demo plots`: options reach the renderers, bad options are one-line user errors.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { violation } from './check.js';
import { runCli as run } from '../support/cli.js';

describe('eds demo plots', () => {
  afterEach(() => vi.restoreAllMocks());

  it('draws every plot within the given size, in ASCII without colour', async () => {
    const { out, code } = await run(['demo', 'plots', '--ascii', '--colors', '0', '--width', '72', '--height', '20']);
    expect(code).toBe(0);
    const figures = out.trimEnd().split('\n\n');
    expect(figures.length).toBeGreaterThanOrEqual(15);
    for (const figure of figures) expect(violation(figure, { width: 72, height: 20, colors: 0, unicode: false })).toBeNull();
    expect(out).toContain('Volcano events');
    expect(out).toContain('most confused');
  });

  it('honours --colors and --only', async () => {
    const { out } = await run(['demo', 'plots', '--only', 'bar', '--colors', 'truecolor', '--width', '60', '--height', '14']);
    expect(out).toContain('\x1b[38;2;');
    expect(out).toContain('Random forest feature importances');
    expect(out).not.toContain('Training');
  });

  it('rejects a bad colour depth, size or plot id in one line', async () => {
    for (const args of [
      ['--colors', '7'],
      ['--width', '3'],
      ['--only', 'pie'],
    ]) {
      const { out, err, code } = await run(['demo', 'plots', ...args]);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(/^eds: /);
    }
  });
});
