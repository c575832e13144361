// Marks that carry meaning without colour (right/wrong, cursor, checkboxes), in Unicode and in ASCII.

/** Marks that carry meaning without colour. */
export interface Symbols {
  /** A right answer / finished. */
  ok: string;
  /** A wrong answer. */
  wrong: string;
  /** The cursor in a list. */
  pointer: string;
  /** A picked checkbox / unpicked. */
  checked: string;
  unchecked: string;
  /** Radio buttons. */
  radioOn: string;
  radioOff: string;
  /** Progress bar cells. */
  barFull: string;
  barEmpty: string;
  /** Separator between status fields. */
  dot: string;
  /** Horizontal rule character. */
  rule: string;
  /** Spinner frames. */
  spinner: string[];
  /** Marks text cut short. */
  ellipsis: string;
}

export const UNICODE_SYMBOLS: Symbols = {
  ok: '✓',
  wrong: '✗',
  pointer: '›',
  checked: '[x]',
  unchecked: '[ ]',
  radioOn: '(•)',
  radioOff: '( )',
  barFull: '█',
  barEmpty: '░',
  dot: '·',
  rule: '─',
  spinner: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'],
  ellipsis: '…',
};

export const ASCII_SYMBOLS: Symbols = {
  ok: 'v',
  wrong: 'x',
  pointer: '>',
  checked: '[x]',
  unchecked: '[ ]',
  radioOn: '(*)',
  radioOff: '( )',
  barFull: '#',
  barEmpty: '.',
  dot: '|',
  rule: '-',
  spinner: ['|', '/', '-', '\\'],
  ellipsis: '...',
};

/** The symbol set for a terminal. */
export function symbolsFor(unicode: boolean): Symbols {
  return unicode ? UNICODE_SYMBOLS : ASCII_SYMBOLS;
}
