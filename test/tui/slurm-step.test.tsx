// An experiment step where the course offers Slurm, with a fake Slurm run (the real one is test/e2e/slurm.e2e.test.ts):
// the step says where it runs and s switches it; the job's state shows while it runs; leaving the step or quitting
// while it runs asks first, and y cancels it (nothing recorded), n leaves it running, Esc stays.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/App.js';
import { RunCancelled } from '../../src/runner/index.js';
import type { TaskRunOptions } from '../../src/tutor/services.js';
import { KEYS_LESSON, closeKeysStores, keysServices, tick, until } from './keys-fixture.js';

afterEach(closeKeysStores);

/** The keys lesson with Slurm offered; a Slurm run waits for `finish` or its cancelling, and says where each run went. */
function slurmServices() {
  const { services, store } = keysServices();
  const runs: Array<{ where: string; cancelled: boolean; finish: () => void }> = [];
  services.slurm = { label: 'Slurm, partition test' };
  services.runTask = (_task, options, _seed, callbacks, run: TaskRunOptions = {}) =>
    new Promise((resolve, reject) => {
      const entry = { where: run.where ?? 'here', cancelled: false, finish: () => resolve({ json: { task: 'fake', value: 42, ...options }, figures: [] }) };
      runs.push(entry);
      if (run.where !== 'slurm') return entry.finish();
      run.onJob?.({ id: '77', state: 'RUNNING', node: 'n1' });
      callbacks?.onEpochEnd?.(0, { loss: 0.5 }, 3);
      run.signal?.addEventListener('abort', () => {
        entry.cancelled = true;
        setTimeout(() => reject(new RunCancelled('Slurm job 77 cancelled; nothing was recorded')), 20);
      });
    });
  return { services, store, runs };
}

async function open(onQuit: () => void = () => undefined) {
  const s = slurmServices();
  const at = KEYS_LESSON.steps.findIndex((x) => x.id === 'plain');
  const app = render(
    <App
      services={s.services}
      initial={{ name: 'lesson', lesson: 'keys', step: at }}
      caps={{ colors: 0, unicode: true }}
      size={{ columns: 80, rows: 24 }}
      onQuit={onQuit}
    />,
  );
  await tick(150);
  // A notice wraps over lines: read as one line of words.
  const frame = () => (app.lastFrame() ?? '').replace(/\s+/g, ' ');
  const press = async (k: string) => {
    app.stdin.write(k);
    await tick(120);
  };
  const state = () => s.store.progress('keys')?.states.plain;
  return { ...s, app, frame, press, state, at };
}

describe('an experiment step where the course offers Slurm', () => {
  it('runs on Slurm by default and says so; s switches the next runs here and back', async () => {
    const t = await open();
    // The line is under the step's long text.
    for (let i = 0; i < 6; i++) await t.press('\u001B[6~');
    expect(t.frame()).toContain('Runs on: Slurm, partition test (s: run here instead)');
    await t.press('s');
    expect(t.frame()).toContain('Runs on: this machine (s: run on Slurm, partition test)');
    expect(t.frame()).toContain('The next runs are on this machine.');
    await t.press('\r');
    await until(
      () => t.state()?.results !== undefined,
      () => t.frame(),
    );
    expect(t.runs.map((r) => r.where)).toEqual(['here']);
    await t.press('s');
    expect(t.frame()).toContain('The next runs are Slurm jobs (Slurm, partition test).');
  });

  it('shows the job while it runs, and records its result when it ends', async () => {
    const t = await open();
    await t.press('\r');
    await until(
      () => t.frame().includes('running as Slurm job 77 on n1…'),
      () => t.frame(),
    );
    t.runs[0]!.finish();
    await until(
      () => t.state()?.results !== undefined,
      () => t.frame(),
    );
    expect(t.store.progress('keys')?.completed).toContain('plain');
  });

  it('asks before leaving the step while the job runs: Esc stays, y cancels it and records nothing', async () => {
    const t = await open();
    await t.press('\r');
    await until(
      () => t.frame().includes('Slurm job 77'),
      () => t.frame(),
    );
    await t.press('p');
    expect(t.frame()).toContain('Slurm job 77 is still running. y: cancel it · n: leave it running');
    expect(t.frame()).toContain(`step ${t.at + 1}/`);
    await t.press('\u001B');
    await tick(100);
    expect(t.frame()).not.toContain('is still running');
    expect(t.runs[0]!.cancelled).toBe(false);
    await t.press('p');
    await t.press('y');
    await until(
      () => t.frame().includes(`step ${t.at}/`),
      () => t.frame(),
    );
    expect(t.runs[0]!.cancelled).toBe(true);
    expect(t.state()?.results).toBeUndefined();
    expect(t.store.progress('keys')?.completed ?? []).not.toContain('plain');
  });

  it('n leaves the job running: its result is recorded when it ends', async () => {
    const t = await open();
    await t.press('\r');
    await until(
      () => t.frame().includes('Slurm job 77'),
      () => t.frame(),
    );
    await t.press('p');
    await t.press('n');
    await until(
      () => t.frame().includes(`step ${t.at}/`),
      () => t.frame(),
    );
    expect(t.runs[0]!.cancelled).toBe(false);
    t.runs[0]!.finish();
    await until(
      () => t.state()?.results !== undefined,
      () => t.frame(),
    );
  });

  it('asks before quitting too; y cancels the job first, then quits', async () => {
    let quits = 0;
    const t = await open(() => quits++);
    await t.press('\r');
    await until(
      () => t.frame().includes('Slurm job 77'),
      () => t.frame(),
    );
    await t.press('q');
    expect(t.frame()).toContain('Slurm job 77 is still running. y: cancel and quit · n: quit, leave it running (its result is not recorded)');
    expect(quits).toBe(0);
    await t.press('y');
    await until(
      () => quits === 1,
      () => t.frame(),
    );
    expect(t.runs[0]!.cancelled).toBe(true);
  });
});

describe('an experiment step where the course offers no Slurm', () => {
  it('says nothing of where it runs, and s says why it cannot switch', async () => {
    const { services } = keysServices();
    const at = KEYS_LESSON.steps.findIndex((x) => x.id === 'plain');
    const app = render(
      <App
        services={services}
        initial={{ name: 'lesson', lesson: 'keys', step: at }}
        caps={{ colors: 0, unicode: true }}
        size={{ columns: 80, rows: 24 }}
        onQuit={() => undefined}
      />,
    );
    await tick(150);
    expect(app.lastFrame()).not.toContain('Runs on');
    app.stdin.write('s');
    await tick(120);
    expect(app.lastFrame()).toContain('Slurm is not enabled for this course');
  });
});
