// Several small plots in one figure: side by side where the width allows, stacked otherwise.
import type { RenderCaps } from './caps.js';
import { padEnd } from './text.js';

/** One panel: draws itself in the space it is given. */
export type Panel = (caps: RenderCaps) => string;

/**
 * Lays `panels` out in a grid within `caps`: as many columns as fit at `minWidth` each (2 columns of gap), rows
 * sharing the height; every panel gets the same size, so their axes read alike.
 */
export function renderPanels(panels: readonly Panel[], caps: RenderCaps, minWidth = 36, gap = 2): string {
  if (panels.length === 0) return '';
  const cols = Math.max(1, Math.min(panels.length, Math.floor((caps.width + gap) / (minWidth + gap))));
  const rows = Math.ceil(panels.length / cols);
  const width = Math.floor((caps.width - gap * (cols - 1)) / cols);
  const height = Math.max(6, Math.floor(caps.height / rows));
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const blocks = panels.slice(r * cols, r * cols + cols).map((draw) => draw({ ...caps, width, height }).split('\n'));
    const n = Math.max(...blocks.map((b) => b.length));
    for (let i = 0; i < n; i++) {
      // Pad every panel but the last of the row, so the next one starts at its own column.
      out.push(
        blocks
          .map((b, k) => (k < blocks.length - 1 ? padEnd(b[i] ?? '', width) + ' '.repeat(gap) : (b[i] ?? '')))
          .join('')
          .trimEnd(),
      );
    }
  }
  return out.join('\n');
}
