// Every `eds` command, one module per file. Heavy work loads lazily inside each handler.
import type { CommandModule } from 'yargs';
import { tutorCommand } from './tutor.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [tutorCommand];
