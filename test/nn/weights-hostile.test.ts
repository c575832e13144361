// eds run pick --weights DIR from someone else: a model.json or weights file that is a pipe, a device, huge, outside the folder, malformed or
// listing absurdly many weights is one clean line, never a hang, a stack trace or gigabytes read; the shipped weights still load.
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPicker } from '../../src/experiments/pick.js';
import { SHIPPED_WEIGHTS_DIR, WEIGHTS_MAX_BYTES } from '../../src/seismology/phasenet/weights.js';
import { expectOneCleanLine, userErrorAsync } from '../data/hostile.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'eds-weights-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const shippedJson = JSON.parse(readFileSync(path.join(SHIPPED_WEIGHTS_DIR, 'model.json'), 'utf8')) as {
  weightsManifest: Array<{ paths: string[]; weights: unknown[] }>;
};

let n = 0;
/** A fresh weights folder holding `files` (a string is written as is, an object as JSON). */
function weightsDir(files: Record<string, string | object>): string {
  const dir = path.join(tmp, `w${++n}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}
/** The shipped model.json with its manifest's paths replaced. */
const listing = (paths: unknown): object => ({ ...shippedJson, weightsManifest: [{ ...shippedJson.weightsManifest[0], paths }] });

async function refusal(dir: string): Promise<string> {
  const message = await userErrorAsync(() => loadPicker('js', dir));
  expectOneCleanLine(message);
  return message;
}

describe('--weights files that are not what they claim', () => {
  it('refuses a model.json that is a named pipe at once', async () => {
    const dir = weightsDir({});
    execFileSync('mkfifo', [path.join(dir, 'model.json')]);
    expect(await refusal(dir)).toBe(`${path.join(dir, 'model.json')}: cannot read: is a named pipe, not a file`);
  }, 30_000);

  it('refuses a weights file that is a pipe or a link to a device', async () => {
    const pipe = weightsDir({ 'model.json': listing(['weights.bin']) });
    execFileSync('mkfifo', [path.join(pipe, 'weights.bin')]);
    expect(await refusal(pipe)).toBe(`${path.join(pipe, 'weights.bin')}: cannot read: is a named pipe, not a file`);
    const device = weightsDir({ 'model.json': listing(['weights.bin']) });
    symlinkSync('/dev/zero', path.join(device, 'weights.bin'));
    expect(await refusal(device)).toBe(`${path.join(device, 'weights.bin')}: cannot read: is a device, not a file`);
  }, 30_000);

  it('refuses weights paths that leave the folder, and weights larger than any PhaseNet', async () => {
    const outside = weightsDir({ 'model.json': listing(['../../../../../../../../dev/zero']) });
    expect(await refusal(outside)).toBe(
      `${path.join(outside, 'model.json')}: weights path "../../../../../../../../dev/zero" is not a file name inside ${outside}`,
    );
    const absolute = weightsDir({ 'model.json': listing(['/etc/passwd']) });
    expect(await refusal(absolute)).toMatch(/weights path "\/etc\/passwd" is not a file name inside/);
    const huge = weightsDir({ 'model.json': listing(['weights.bin']) });
    const fd = openSync(path.join(huge, 'weights.bin'), 'w');
    ftruncateSync(fd, WEIGHTS_MAX_BYTES + 1); // sparse: costs no disk
    closeSync(fd);
    expect(await refusal(huge)).toMatch(/weights\.bin: 67\.1 MB is larger than eds reads as PhaseNet weights \(67\.1 MB\); cut it into smaller files$/);
  }, 30_000);

  it('refuses a manifest of the wrong shape, or listing absurdly many weights, in one line', async () => {
    expect(await refusal(weightsDir({ 'model.json': listing('weights.bin'), 'weights.bin': 'x' }))).toMatch(
      /model\.json: weightsManifest is not a tfjs weights manifest \(each group lists "paths" and "weights"\)$/,
    );
    expect(await refusal(weightsDir({ 'model.json': listing([7]) }))).toMatch(/model\.json: weightsManifest is not a tfjs weights manifest/);
    const many = {
      ...shippedJson,
      weightsManifest: [{ paths: ['weights.bin'], weights: Array.from({ length: 300_000 }, (_, i) => ({ name: `w${i}`, shape: [1], dtype: 'float32' })) }],
    };
    const dir = weightsDir({ 'model.json': many, 'weights.bin': '' });
    expect(await refusal(dir)).toBe(`${dir}: holds 300000 weight arrays, PhaseNet has 93: not the same architecture`);
  }, 30_000);

  it('quotes neither raw bytes of a broken model.json nor a hostile folder name', async () => {
    const dir = weightsDir({ 'model.json': '{"a": "\u001b]0;pwned\u0007' });
    expect(await refusal(dir)).toMatch(/model\.json: not valid JSON/);
    const evil = path.join(tmp, 'evil\u001b[2J');
    mkdirSync(evil);
    expect(await refusal(evil)).toMatch(/evil.*: no model\.json here/);
  }, 30_000);

  it('still loads a copy of the shipped weights', async () => {
    const dir = weightsDir({});
    copyFileSync(path.join(SHIPPED_WEIGHTS_DIR, 'model.json'), path.join(dir, 'model.json'));
    copyFileSync(path.join(SHIPPED_WEIGHTS_DIR, 'weights.bin'), path.join(dir, 'weights.bin'));
    const picker = await loadPicker('js', dir);
    try {
      expect(picker.params).toBe(268_443);
      expect(picker.provenance?.trainedBy).toBe('npm run train:phasenet');
    } finally {
      picker.model.dispose();
    }
    // --weights may also name the model.json itself.
    const byFile = await loadPicker('js', path.join(dir, 'model.json'));
    try {
      expect(byFile.length).toBe(3001);
    } finally {
      byFile.model.dispose();
    }
  }, 60_000);
});
