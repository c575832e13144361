// Whether the tutor can draw here, and the one setting Ink must see before it is first imported.

/** The TUI needs a terminal on both ends: keys in (raw mode) and frames out. */
export function canRunTui(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY && typeof process.stdin.setRawMode === 'function');
}

/**
 * Call before the TUI module is first imported. Ink decides once, at import, whether it runs in CI (a `CI`
 * variable) and then draws only a final frame; a student at a real terminal whose shell exports CI (some course
 * platforms do) would see a blank screen. With both ends a terminal, this is not CI.
 */
export function prepareTui(): void {
  if (canRunTui()) {
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
  }
}
