// Decides between the TUI and plain output, and opens the services with their warnings printed once.
import { openServices, type OpenedServices } from '../tutor/open-services.js';

export { canRunTui, prepareTui } from './terminal.js';

/** Opens the store and lessons; warnings (damaged database set aside, network filesystem) go to stderr once. */
export async function openForCli(lessonsDir?: string): Promise<OpenedServices> {
  const opened = await openServices({ lessonsDir });
  for (const warning of opened.warnings) process.stderr.write(`eds: ${warning}\n`);
  return opened;
}
