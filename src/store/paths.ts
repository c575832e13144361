// Where a student's data lives: $EDS_HOME, else $XDG_DATA_HOME/eds, else ~/.local/share/eds.
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

/** The directory holding this student's database and settings. */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EDS_HOME) return env.EDS_HOME;
  const xdg = env.XDG_DATA_HOME?.startsWith('/') ? env.XDG_DATA_HOME : join(homedir(), '.local', 'share');
  return join(xdg, 'eds');
}

/** The student's login: $EDS_USER (for tests and shared accounts), else the OS user name. */
export function currentUser(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EDS_USER) return env.EDS_USER;
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to the environment.
    return env.USER ?? env.LOGNAME ?? 'student';
  }
}
