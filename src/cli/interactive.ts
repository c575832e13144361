// Decides between the TUI and plain output, and opens the services with their warnings printed once.
import { openServices, type OpenedServices } from '../tutor/open-services.js';

/** The TUI needs a terminal on both ends: keys in (raw mode) and frames out. */
export function canRunTui(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY && typeof process.stdin.setRawMode === 'function');
}

/** Opens the store and lessons; warnings (damaged database set aside, network filesystem) go to stderr once. */
export function openForCli(lessonsDir?: string): OpenedServices {
  const opened = openServices({ lessonsDir });
  for (const warning of opened.warnings) process.stderr.write(`eds: ${warning}\n`);
  return opened;
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
