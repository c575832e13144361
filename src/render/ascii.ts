// Plain-ASCII stand-ins for the typographic characters lessons and the UI use (LANG=C, TERM=dumb).

const REPLACEMENTS: Record<string, string> = {
  '…': '...', '—': '--', '–': '-', '‘': "'", '’': "'", '“': '"', '”': '"', '•': '*', '·': '|',
  '→': '->', '←': '<-', '↑': '^', '↓': 'v', '×': 'x', '±': '+/-', '≈': '~', '≤': '<=', '≥': '>=',
  '≠': '!=', '²': '^2', '³': '^3', '°': ' deg', 'µ': 'u', 'λ': 'lambda', 'σ': 'sigma', 'α': 'alpha',
  'β': 'beta', '✓': 'v', '✗': 'x', '›': '>', '█': '#', '░': '.', '─': '-', '│': '|', '≡': '=',
  'é': 'e', 'è': 'e', 'ê': 'e', 'à': 'a', 'ç': 'c', 'ô': 'o', 'î': 'i', '\u00a0': ' ',
};

/** Replaces known typographic characters with ASCII and any other non-ASCII character with '?'. */
export function toAscii(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[^\x00-\x7f]/gu, (ch) => REPLACEMENTS[ch] ?? '?');
}
