// A styled line of the tutor's views: what the view functions return and the Ink layer draws. Its own module,
// so views that draw into lines (runs, maps, reviews, project sections) need not import each other.

/** A colour role from the theme. */
export type Role = 'accent' | 'success' | 'error' | 'warning' | 'muted' | 'selection';

/** A run of text with one style. */
export interface Segment {
  /** The text (no ANSI codes). */
  text: string;
  /** Colour role. */
  role?: Role;
  /** Bold. */
  bold?: boolean;
  /** Inverse video (the selected line; visible without colour). */
  inverse?: boolean;
  /** Emphasis (italic), from the lesson's Markdown. */
  italic?: boolean;
  /** Inline code, from the lesson's Markdown (drawn as code is on a page). */
  code?: boolean;
}

/** A line: preformatted (may hold ANSI from a renderer) or styled segments. */
export type Line = string | Segment[];
