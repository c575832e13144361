// Column headers take their class's whole name where the width allows: "vegetation" was cut to "vegetati…" even
// at 120 columns, and the lidar lessons' text names the class.
import { describe, expect, it } from 'vitest';
import { renderConfusionMatrix } from '../../src/render/confusion.js';
import { displayWidth } from '../../src/util/text.js';

describe('confusion matrix headers', () => {
  const labels = ['floor', 'vegetation'];
  const matrix = [
    [446, 1],
    [2, 51],
  ];
  it('are whole when there is room, and every line still fits', () => {
    for (const width of [60, 80, 120]) {
      const out = renderConfusionMatrix(labels, matrix, { colors: 0, unicode: true, width, height: 12 });
      expect(out.split('\n')[0], `width ${width}`).toMatch(/ floor +vegetation/);
      for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(width);
    }
  });
  it('are cut, with an ellipsis, only when the width does not allow them', () => {
    const out = renderConfusionMatrix(labels, matrix, { colors: 0, unicode: true, width: 40, height: 12 });
    expect(out.split('\n')[0]).toContain('…');
    for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(40);
  });
});
