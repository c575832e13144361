// A job's progress file read as hostile input: lines cut anywhere, too long, not JSON, not events, control
// characters, deep nesting, a symlink or a FIFO in its place, a file that never stops growing.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventReader, MAX_EVENT_BYTES, MAX_FILE_BYTES, MAX_RESULT_BYTES, encodeEvent, type JobEvent } from '../../src/runner/job-events.js';
import { ProgressTail, appendEvent, openForAppend } from '../../src/runner/progress-file.js';

const EVENTS: JobEvent[] = [
  { type: 'start', node: 'n01', pid: 42, job_id: '12' },
  { type: 'status', message: 'loading digits…' },
  { type: 'progress', fraction: 0.25, label: 'epoch 1/4' },
  { type: 'epoch', epoch: 0, logs: { loss: 0.5, accuracy: 0.9 }, epochs: 4 },
  {
    type: 'result',
    json: {
      task: 'train',
      accuracy: 0.91,
      confusion: {
        labels: ['0', '1'],
        matrix: [
          [1, 0],
          [0, 1],
        ],
      },
    },
    figures: [{ title: 'Loss', text: 'a\nb' }],
  },
  { type: 'error', message: 'stopped by SIGTERM' },
];
const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('reading events', () => {
  it('gives back every event encoded, whole lines only, however the bytes are cut', () => {
    const text = EVENTS.map(encodeEvent).join('');
    for (const cut of [1, 7, 64, text.length]) {
      const reader = new EventReader();
      const got: JobEvent[] = [];
      const all = bytes(text);
      for (let i = 0; i < all.length; i += cut) got.push(...reader.push(all.subarray(i, i + cut)));
      expect(got).toEqual(EVENTS);
      expect(reader.rejected).toBe(0);
    }
  });

  it('holds a partial last line until its newline comes', () => {
    const reader = new EventReader();
    const line = encodeEvent(EVENTS[1]!);
    expect(reader.push(bytes(line.slice(0, -1)))).toEqual([]);
    expect(reader.push(bytes('\n'))).toEqual([EVENTS[1]]);
  });

  it('skips lines that are not JSON, not events, or out of bounds, and counts them', () => {
    const reader = new EventReader();
    const bad = [
      'not json',
      '{"type":"nope"}',
      '{"type":"status","message":"x","extra":1}',
      '{"type":"progress","fraction":"half","label":"x"}',
      '{"type":"epoch","epoch":-1,"logs":{}}',
      `{"type":"status","message":"${'x'.repeat(3000)}"}`,
      JSON.stringify({ type: 'result', json: { deep: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) }, figures: [] }),
      JSON.stringify({ type: 'epoch', epoch: 1, logs: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])) }),
    ];
    const got = reader.push(bytes(`${bad.join('\n')}\n${encodeEvent(EVENTS[1]!)}`));
    expect(got).toEqual([EVENTS[1]]);
    expect(reader.rejected).toBe(bad.length);
  });

  it('drops a line longer than any event, to its end, and reads on after it', () => {
    const reader = new EventReader();
    const huge = Buffer.alloc(MAX_RESULT_BYTES + 10, 0x61);
    expect(reader.push(huge)).toEqual([]);
    expect(reader.push(bytes(`aaa\n${encodeEvent(EVENTS[0]!)}`))).toEqual([EVENTS[0]]);
    expect(reader.rejected).toBe(1);
    expect(reader.lastProblem).toMatch(/longer than/);
  });

  it('refuses a status line above its own bound even when the result bound would take it', () => {
    const reader = new EventReader();
    const padded = `{"type":"status","message":"x"${' '.repeat(MAX_EVENT_BYTES)}}\n`;
    expect(reader.push(bytes(padded))).toEqual([]);
    expect(reader.rejected).toBe(1);
  });

  it('makes the text of events inert: no escape sequences, no bidi overrides, no prototype keys', () => {
    const reader = new EventReader();
    const line = JSON.stringify({
      type: 'result',
      json: { title: '\u001b[2Jcleared', ['__proto__']: { polluted: true }, nested: { k: 'a\u202eb' } },
      figures: [{ title: 'T\u001b]0;x\u0007', text: 'line\u001b[31m red' }],
    });
    const [event] = reader.push(bytes(`${line}\n`)) as [Extract<JobEvent, { type: 'result' }>];
    expect(event.json.title).toBe('[2Jcleared');
    expect((event.json.nested as { k: string }).k).toBe('ab');
    expect(Object.getPrototypeOf(event.json)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(event.figures[0]).toEqual({ title: 'T]0;x', text: 'line[31m red' });
  });
});

describe('the progress file', () => {
  const folder = () => mkdtempSync(join(tmpdir(), 'eds-progress-'));

  it('is read incrementally as the job appends to it', () => {
    const path = join(folder(), 'progress.ndjson');
    writeFileSync(path, '');
    const fd = openForAppend(path);
    const tail = new ProgressTail(path);
    expect(tail.read()).toEqual([]);
    appendEvent(fd, EVENTS[0]!);
    appendEvent(fd, EVENTS[1]!);
    expect(tail.read()).toEqual([EVENTS[0], EVENTS[1]]);
    appendFileSync(path, encodeEvent(EVENTS[2]!).slice(0, 10));
    expect(tail.read()).toEqual([]);
    appendFileSync(path, encodeEvent(EVENTS[2]!).slice(10));
    expect(tail.read()).toEqual([EVENTS[2]]);
    tail.close();
  });

  it('waits for a file not there yet', () => {
    const dir = folder();
    const tail = new ProgressTail(join(dir, 'progress.ndjson'));
    expect(tail.read()).toEqual([]);
    expect(tail.problem).toBeNull();
    writeFileSync(join(dir, 'progress.ndjson'), encodeEvent(EVENTS[1]!));
    expect(tail.read()).toEqual([EVENTS[1]]);
  });

  it('does not follow a symlink, nor open a FIFO (which would never end)', () => {
    const dir = folder();
    symlinkSync('/etc/passwd', join(dir, 'link'));
    const link = new ProgressTail(join(dir, 'link'));
    expect(link.read()).toEqual([]);
    expect(link.problem).toMatch(/symlink/);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const fifo = new ProgressTail(join(dir, 'fifo'));
    expect(fifo.read()).toEqual([]);
    expect(fifo.problem).toMatch(/not a regular file/);
    expect(() => openForAppend(join(dir, 'link'))).toThrow();
  });

  it('stops reading a file past its bound', () => {
    const path = join(folder(), 'progress.ndjson');
    const line = encodeEvent({ type: 'status', message: 'x'.repeat(1000) });
    writeFileSync(path, line.repeat(Math.ceil(MAX_FILE_BYTES / line.length) + 10));
    const tail = new ProgressTail(path);
    let events = 0;
    for (let i = 0; i < 64 && tail.problem === null; i++) events += tail.read().length;
    expect(tail.problem).toMatch(/grew past 32 MiB/);
    expect(events).toBeLessThanOrEqual(Math.floor(MAX_FILE_BYTES / line.length));
    expect(events).toBeGreaterThan(0);
  });
});
