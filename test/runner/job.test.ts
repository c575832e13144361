// The job's own side, run here without Slurm: it reads its folder's job.json, runs the task with the same seed and
// options as a local run, and appends start, progress, epochs and the result (figures as plain text) to the file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOB_FILE, PROGRESS_FILE, jobSpec, readJobSpec, runJob } from '../../src/runner/job.js';
import { runHere } from '../../src/runner/local.js';
import type { JobEvent } from '../../src/runner/job-events.js';
import { ProgressTail } from '../../src/runner/progress-file.js';

function folder(spec: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'eds-job-'));
  writeFileSync(join(dir, JOB_FILE), JSON.stringify(spec));
  writeFileSync(join(dir, PROGRESS_FILE), '');
  return dir;
}

const caps = { width: 60, height: 14, colors: 256 as const, unicode: true };

describe('eds job DIR, run here', () => {
  it('writes the same result as a local run, and its figures as text at the size asked, without colour', async () => {
    const request = { task: 'classify', options: { dataset: 'iris', model: 'knn' }, seed: 5, surface: 'cli' as const, caps };
    const dir = folder(jobSpec(request));
    expect(await runJob(dir)).toBe(0);
    const events = new ProgressTail(join(dir, PROGRESS_FILE)).read();
    expect(events[0]).toEqual(expect.objectContaining({ type: 'start', pid: process.pid }));
    const result = events.find((e): e is Extract<JobEvent, { type: 'result' }> => e.type === 'result')!;
    const local = await runHere(request);
    expect(result.json).toEqual(JSON.parse(JSON.stringify(local.json)));
    expect(result.figures.map((f) => f.title)).toEqual(local.figures.map((f) => f.title));
    for (const f of result.figures) {
      expect(f.text).not.toContain('\u001b');
      for (const line of f.text.split('\n')) expect([...line].length).toBeLessThanOrEqual(60);
    }
  });

  it('sends each epoch as it ends, then the result', async () => {
    const dir = folder(jobSpec({ task: 'train', options: { model: 'mlp', epochs: 2, hiddenUnits: 8, trainSize: 200, testSize: 50 }, seed: 1, surface: 'cli' }));
    expect(await runJob(dir)).toBe(0);
    const types = new ProgressTail(join(dir, PROGRESS_FILE)).read().map((e) => (e.type === 'epoch' ? `epoch ${e.epoch}` : e.type));
    expect(types.filter((t) => t.startsWith('epoch'))).toEqual(['epoch 0', 'epoch 1']);
    expect(types.indexOf('epoch 1')).toBeLessThan(types.indexOf('result'));
    expect(types.at(-1)).toBe('result');
  }, 120_000);

  it('sends the task’s error as one line and exits 1', async () => {
    const dir = folder(jobSpec({ task: 'classify', options: { data: '/nonexistent/t.csv', target: 'y' }, seed: 0, surface: 'cli' }));
    expect(await runJob(dir)).toBe(1);
    const last = new ProgressTail(join(dir, PROGRESS_FILE)).read().at(-1)!;
    expect(last.type).toBe('error');
    expect((last as { message: string }).message).toContain('/nonexistent/t.csv');
  });

  it('refuses a job.json that is not one', () => {
    expect(() => readJobSpec(folder({ v: 1, task: 'classify', options: {}, seed: 0, surface: 'cli', extra: true }))).toThrow();
    expect(() => readJobSpec(folder({ v: 2, task: 'classify', options: {}, seed: 0, surface: 'cli' }))).toThrow();
    expect(() => readJobSpec(folder({ v: 1, task: 'classify', options: {}, seed: 0.5, surface: 'cli' }))).toThrow();
  });
});
