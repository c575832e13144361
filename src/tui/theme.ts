// Semantic colours for the TUI: one table, so a NO_COLOR or colour-blind theme is one change.
import type { RenderCaps } from '../render/caps.js';
import { symbolsFor, type Symbols } from '../render/symbols.js';

export type { Symbols };

/** Colour roles used by components (never raw colour names in components). */
export interface Theme {
  /** Titles and the header bar. */
  accent?: string;
  /** Right answers, finished lessons. */
  success?: string;
  /** Wrong answers (always paired with a ✗/x mark, never colour alone). */
  error?: string;
  /** Hints and warnings. */
  warning?: string;
  /** Secondary text: key hints, counts. */
  muted?: string;
  /** The selected item. */
  selection?: string;
  /** Whether to use inverse video for the header and selection (works without colour too). */
  inverse: boolean;
  /** Symbols, Unicode or ASCII. */
  symbols: Symbols;
}

/** The theme for a terminal: Okabe–Ito-like hues (blue/orange, not red/green alone), none under NO_COLOR. */
export function themeFor(caps: RenderCaps): Theme {
  const symbols = symbolsFor(caps.unicode);
  if (caps.colors === 0) return { inverse: true, symbols };
  return {
    accent: 'cyan',
    success: 'blue',
    error: 'yellow',
    warning: 'magenta',
    muted: 'gray',
    selection: 'cyan',
    inverse: true,
    symbols,
  };
}
