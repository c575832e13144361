// What the terminal can show: size, colour depth and Unicode. Every renderer takes one of these.

/** Colour depth: none, the 16 ANSI colours, the 256-colour palette, or 24-bit truecolour. */
export type ColorDepth = 0 | 16 | 256 | 'truecolor';

/** The drawing surface a renderer may use; it must never write wider than `width`. */
export interface RenderCaps {
  /** Columns available (characters per line). */
  width: number;
  /** Rows available (lines). */
  height: number;
  /** Colour depth; 0 means no escape sequences at all. */
  colors: ColorDepth;
  /** Whether Unicode (Braille, blocks, box drawing) may be used; false means 7-bit ASCII. */
  unicode: boolean;
}

/** Reads the capabilities of the current terminal from the environment (NO_COLOR, TERM, LANG, COLORTERM). */
export function detectCaps(env: NodeJS.ProcessEnv = process.env, stream: { isTTY?: boolean; columns?: number; rows?: number } = process.stdout): RenderCaps {
  const width = stream.columns && stream.columns > 0 ? stream.columns : Number(env.COLUMNS) || 80;
  const height = stream.rows && stream.rows > 0 ? stream.rows : Number(env.LINES) || 24;
  return { width, height, colors: detectColorDepth(env, Boolean(stream.isTTY)), unicode: detectUnicode(env) };
}

/** Colour depth by the usual conventions; NO_COLOR (any value) and TERM=dumb win. */
export function detectColorDepth(env: NodeJS.ProcessEnv, isTTY: boolean): ColorDepth {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  const term = env.TERM ?? '';
  if (term === 'dumb') return 0;
  if (!isTTY && (force === undefined || force === '0')) return 0;
  if (force === '0') return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit' || force === '3') return 'truecolor';
  if (/-256(color)?$/i.test(term) || force === '2') return 256;
  return 16;
}

/** Unicode unless the locale is C/POSIX (or unset) or the terminal is dumb; EDS_ASCII=1 forces ASCII. */
export function detectUnicode(env: NodeJS.ProcessEnv): boolean {
  if (env.EDS_ASCII === '1') return false;
  if ((env.TERM ?? '') === 'dumb') return false;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  if (locale === '' || locale === 'C' || locale === 'POSIX') {
    // Most SSH sessions forward LANG; with none at all, a modern terminal still usually copes,
    // but we cannot know: be safe only when the locale is explicitly C/POSIX.
    return locale === '';
  }
  return /utf-?8/i.test(locale);
}
