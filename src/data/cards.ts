// The dataset cards (datasets/<name>/README.md) by name, so `eds datasets card NAME` works wherever eds is installed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { PACKAGE_ROOT } from '../version.js';
import { safeLine, safeText } from '../util/safe-text.js';

/** Datasets whose name (as `eds datasets list` or a lesson gives it) is described by another one's card. */
const CARD_OF: Readonly<Record<string, string>> = {
  'lidar-dunes': 'lidar',
  'lidar-ski': 'lidar',
  'lidar-4class': 'lidar',
  'lidar-real-dunes': 'lidar-real',
  'lidar-real-ski-tree': 'lidar-real',
};

/** The folder holding the cards (default: the installed package's `datasets/`). */
function cardsRoot(root?: string): string {
  return root ?? join(PACKAGE_ROOT, 'datasets');
}

/** The names that have a card, sorted. */
export function datasetCardNames(root?: string): string[] {
  const dir = cardsRoot(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'README.md')))
    .map((e) => e.name)
    .sort();
}

/**
 * The card of dataset `name` as Markdown, with control characters removed (safe to print). An unknown name is
 * one line naming the known ones.
 */
export function datasetCard(name: string, root?: string): { name: string; markdown: string } {
  const names = datasetCardNames(root);
  const card = CARD_OF[name] ?? name;
  if (!names.includes(card)) {
    throw new UserError(`no dataset card "${safeLine(name, 60)}" (cards: ${names.join(', ') || 'none'})`, { hint: 'eds datasets list' });
  }
  return { name: card, markdown: safeText(readFileSync(join(cardsRoot(root), card, 'README.md'), 'utf8')) };
}
