// A styled line: what the view functions (tutor, review, project sections) return and the Ink layer draws.
// In render/ so every view can use it without importing another view.

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
