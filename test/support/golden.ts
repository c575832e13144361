// Golden files: text a test compares with a committed file. Locally a missing file is written (review it, commit it);
// under CI it fails, since a golden written by the run it checks proves nothing.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';

/** Whether this run is CI's (CI set to anything but "false" or "0", as GitHub Actions, GitLab and .ci/run set it). */
export const underCi = (env: NodeJS.ProcessEnv = process.env): boolean => env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';

/** Compares `text` with the golden file `file` (a path relative to the test's folder `dir`, usually import.meta.dirname). */
export async function expectGolden(text: string, dir: string, file: string): Promise<void> {
  const path = resolve(dir, file);
  if (underCi() && !existsSync(path)) throw new Error(`missing golden file ${file}: run this test locally to write it, check it and commit it`);
  await expect(text).toMatchFileSnapshot(path);
}
