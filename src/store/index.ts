// The store's public face: open a student's store, and the shapes and helpers the CLI, the TUI and `eds doctor` use.
export { openStore } from './store.js';
export { openDatabase, DATABASE_FILE, BUSY_TIMEOUT_MS, type OpenedDatabase, type OpenDatabaseHooks } from './open.js';
export {
  chooseJournalMode,
  networkFilesystemName,
  NETWORK_FILESYSTEMS,
  type JournalChoice,
  type JournalMode,
  type StatfsType,
} from './filesystem.js';
export { migrate, MIGRATIONS, SCHEMA_VERSION, type Migration } from './schema.js';
export { dataHome, currentUser } from './paths.js';
export type {
  Attempt,
  AttemptFilter,
  AttemptInput,
  LastPosition,
  LessonProgress,
  StepState,
  Store,
  StoreOptions,
} from './types.js';
