// A grid of styled character cells that renderers draw into, then serialise with as few escape sequences as possible.
import type { RenderCaps } from './caps.js';
import { styleOpen, type Style } from './color.js';
import { graphemes, graphemeWidth } from '../util/text.js';
import { RESET, toAsciiCell } from './text.js';

/** A fixed-size grid of cells; writes outside it are ignored, so nothing can overflow the given size. */
export class CellGrid {
  /** Columns. */
  readonly width: number;
  /** Rows. */
  readonly height: number;
  private readonly chars: string[];
  private readonly styles: Array<Style | undefined>;

  constructor(width: number, height: number) {
    this.width = Math.max(0, Math.floor(width));
    this.height = Math.max(0, Math.floor(height));
    this.chars = new Array<string>(this.width * this.height).fill(' ');
    this.styles = new Array<Style | undefined>(this.width * this.height).fill(undefined);
  }

  /** Sets one cell (a single-column character). */
  set(x: number, y: number, ch: string, style?: Style): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = Math.floor(y) * this.width + Math.floor(x);
    this.chars[i] = ch;
    this.styles[i] = style;
  }

  /** The character in a cell (' ' when empty or outside). */
  get(x: number, y: number): string {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return ' ';
    return this.chars[y * this.width + x]!;
  }

  /** Writes plain text (no escapes) from (x, y) rightwards, clipped at the edge; wide characters take two cells. */
  write(x: number, y: number, text: string, style?: Style): number {
    let col = Math.floor(x);
    for (const ch of graphemes(text)) {
      const w = Math.min(2, graphemeWidth(ch));
      if (w === 0) continue;
      if (col + w > this.width) break;
      this.set(col, y, ch, style);
      // The second half of a wide character is an empty placeholder, so the row keeps its width.
      if (w === 2) this.set(col + 1, y, '', style);
      col += w;
    }
    return col;
  }

  /**
   * The rows as strings at the caller's colour depth; runs of equal style share one escape; trailing unstyled
   * blanks are dropped; without Unicode every character is folded to ASCII (labels may carry 'λ' or '°').
   */
  toLines(caps: Pick<RenderCaps, 'colors' | 'unicode'>): string[] {
    const depth = caps.colors;
    const lines: string[] = [];
    for (let y = 0; y < this.height; y++) {
      let end = this.width;
      while (end > 0 && this.chars[y * this.width + end - 1] === ' ' && !this.styles[y * this.width + end - 1]?.bg) end--;
      let line = '';
      let open = '';
      for (let x = 0; x < end; x++) {
        const i = y * this.width + x;
        const ch = this.chars[i]!;
        // A blank without background needs no colour: keeping the current run avoids needless escapes.
        const next = ch === ' ' && !this.styles[i]?.bg ? open : styleOpen(this.styles[i], depth);
        if (next !== open) {
          // Switching styles: one "reset and set" sequence ("\x1b[0;…m") instead of two, fewer bytes over SSH.
          if (open && next) line += `\x1b[0;${next.slice(2)}`;
          else line += open ? RESET : next;
          open = next;
        }
        line += ch;
      }
      if (open) line += RESET;
      lines.push(caps.unicode ? line : toAsciiCell(line));
    }
    return lines;
  }
}
