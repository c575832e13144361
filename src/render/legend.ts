// Legends that are never cut: every entry named whole, over as many rows as it takes.
import { legendRows, type LegendItem } from './axes.js';
import { displayWidth, wrapWords } from './text.js';

/**
 * Legend rows that name every item whole: rows of at most `width` columns, and an item too long for one row
 * goes on over the next (its words wrapped), never cut.
 */
export function completeLegendRows(items: readonly LegendItem[], width: number): LegendItem[][] {
  const pieces: LegendItem[] = [];
  for (const item of items) {
    const sampleW = item.swatch ? item.swatch.reduce((w, p) => w + displayWidth(p.text), 0) : displayWidth(item.sample);
    const room = width - sampleW - (sampleW ? 1 : 0);
    if (sampleW + 1 + displayWidth(item.label) <= width || room < 4) {
      pieces.push(item);
      continue;
    }
    const [first, ...rest] = wrapWords(item.label, room);
    pieces.push({ ...item, label: first ?? '' });
    for (const line of rest) pieces.push({ label: line, sample: '' });
  }
  return legendRows(pieces, Math.max(1, width), Number.MAX_SAFE_INTEGER);
}
