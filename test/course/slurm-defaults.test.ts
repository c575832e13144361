// A class's Slurm settings: checked where they are read (course.json, config files, init's flags), merged course,
// then config file, then flags, and the student's own config able to turn Slurm off.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig, resolveSlurmConfig } from '../../src/course/config.js';
import { initCourseDir, readCourseSlurm } from '../../src/course/layout.js';
import { mergeSlurmDefaults, parseSlurmDefaults, slurmMinutes, slurmSettingProblem, timeLimitSeconds } from '../../src/course/slurm-defaults.js';
import { slurmSetup } from '../../src/runner/index.js';
import { runCli } from '../support/cli.js';

describe('Slurm time limits', () => {
  it('reads every form sbatch --time takes', () => {
    expect(timeLimitSeconds('10')).toBe(600);
    expect(timeLimitSeconds('10:30')).toBe(630);
    expect(timeLimitSeconds('01:02:03')).toBe(3723);
    expect(timeLimitSeconds('00:00:05')).toBe(5);
    expect(timeLimitSeconds('2-12')).toBe(216_000);
    expect(timeLimitSeconds('1-00:30')).toBe(88_200);
    expect(timeLimitSeconds('1-00:00:01')).toBe(86_401);
  });
  it('refuses what is not one', () => {
    for (const bad of ['', 'ten', '1:60', '1:2:3:4', '00:61:00', '1-24', '-5', '10 ', '1;id', '1\n2']) expect(timeLimitSeconds(bad), bad).toBeNull();
  });
  it('says what Slurm enforces: whole minutes, rounded up', () => {
    expect(slurmMinutes(5)).toBe(1);
    expect(slurmMinutes(60)).toBe(1);
    expect(slurmMinutes(61)).toBe(2);
  });
});

describe('Slurm settings', () => {
  it('accept Slurm’s names and refuse anything that could end an #SBATCH line', () => {
    expect(slurmSettingProblem('partition', 'gpu-a100.short')).toBeNull();
    expect(slurmSettingProblem('gres', 'gpu:a100:2,shard:1')).toBeNull();
    expect(slurmSettingProblem('account', 'geo_101')).toBeNull();
    for (const bad of ['gpu\n#SBATCH --uid=0', 'a b', '-gpu', "x'y", '']) expect(slurmSettingProblem('partition', bad), bad).toMatch(/partition must be/);
    expect(slurmSettingProblem('gres', 'gpu:1 --x')).toMatch(/gres must be/);
    expect(slurmSettingProblem('time', '0')).toBe('time must be more than 0');
  });
  it('read from a file, name the file and the key when wrong', () => {
    expect(parseSlurmDefaults({ partition: 'gpu', gres: 'gpu:1', time: '00:30:00', account: 'geo', enabled: true }, 'f')).toEqual({
      partition: 'gpu',
      gres: 'gpu:1',
      time: '00:30:00',
      account: 'geo',
      enabled: true,
    });
    expect(() => parseSlurmDefaults({ partion: 'gpu' }, '/etc/eds/config.json')).toThrow(/\/etc\/eds\/config\.json: slurm has an unknown key "partion"/);
    expect(() => parseSlurmDefaults({ time: 30 }, 'f')).toThrow(/slurm\.time must be a string/);
    expect(() => parseSlurmDefaults(['gpu'], 'f')).toThrow(/slurm must be an object/);
    expect(() => parseSlurmDefaults({ enabled: 'yes' }, 'f')).toThrow(/enabled must be true or false/);
  });
  it('merge course, config and flags, later over earlier', () => {
    expect(mergeSlurmDefaults({ partition: 'gpu', time: '10' }, null, { time: '20', account: 'a' })).toEqual({ partition: 'gpu', time: '20', account: 'a' });
  });
});

describe('where the settings come from', () => {
  const student = (config: unknown, course?: Record<string, string>) => {
    const base = mkdtempSync(join(tmpdir(), 'eds-slurm-settings-'));
    const env: NodeJS.ProcessEnv = { HOME: base, XDG_CONFIG_HOME: join(base, 'config'), EDS_HOME: join(base, 'home'), PATH: process.env.PATH };
    if (config !== undefined) {
      mkdirSync(join(base, 'config', 'eds'), { recursive: true });
      writeFileSync(join(base, 'config', 'eds', 'config.json'), JSON.stringify(config));
    }
    if (course) {
      const dir = join(base, 'course');
      initCourseDir(dir, String(process.getgid?.() ?? 0), { slurm: course });
      env.EDS_COURSE_DIR = dir;
    }
    return { base, env };
  };

  it('none: Slurm stays off', () => {
    expect(slurmSetup(student(undefined).env)).toEqual({ settings: {}, enabled: false, sources: [], problems: [] });
  });

  it('course.json turns Slurm on for the class; the student’s config adds to it or turns it off', () => {
    const on = student(undefined, { partition: 'gpu', time: '00:20:00' });
    expect(slurmSetup(on.env)).toEqual({
      settings: { partition: 'gpu', time: '00:20:00' },
      enabled: true,
      sources: [join(on.base, 'course', 'course.json')],
      problems: [],
    });
    const more = student({ slurm: { gres: 'gpu:1' } }, { partition: 'gpu' });
    expect(slurmSetup(more.env).settings).toEqual({ partition: 'gpu', gres: 'gpu:1' });
    const off = student({ slurm: { enabled: false } }, { partition: 'gpu' });
    expect(slurmSetup(off.env).enabled).toBe(false);
  });

  it('a config file alone can turn it on', () => {
    const { env, base } = student({ slurm: { partition: 'debug' } });
    expect(resolveSlurmConfig(env)).toEqual({ slurm: { partition: 'debug' }, source: join(base, 'config', 'eds', 'config.json') });
    expect(slurmSetup(env).enabled).toBe(true);
  });

  it('a bad setting keeps Slurm off and is said', () => {
    const { env } = student({ slurm: { partition: 'gpu; rm -rf ~' } });
    const setup = slurmSetup(env);
    expect(setup.enabled).toBe(false);
    expect(setup.problems[0]).toMatch(/slurm\.partition must be a Slurm partition name/);
    expect(() => readConfig(join(env.XDG_CONFIG_HOME!, 'eds', 'config.json'))).toThrow(/partition must be/);
  });

  it('course.json’s settings are checked as a student reads them', () => {
    const { env } = student(undefined, { partition: 'gpu' });
    const file = join(env.EDS_COURSE_DIR!, 'course.json');
    writeFileSync(file, JSON.stringify({ format: 'eds-course', layout: 1, group: 'g', gid: 0, slurm: { partition: 'a\nb' } }));
    expect(readCourseSlurm(env.EDS_COURSE_DIR!).problem).toMatch(/slurm\.partition must be/);
    expect(slurmSetup(env).enabled).toBe(false);
  });
});

describe('eds instructor init --slurm-partition', () => {
  const gid = String(process.getgid?.() ?? 0);
  it('writes the class’s Slurm settings into course.json, and updates them on a course directory already laid out', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'eds-slurm-init-')), 'course');
    const first = await runCli(['instructor', 'init', dir, '--group', gid, '--slurm-partition', 'gpu', '--slurm-gres', 'gpu:1']);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain("slurm: students' experiments run as jobs (partition gpu, gres gpu:1)");
    expect(readCourseSlurm(dir)).toEqual({ slurm: { partition: 'gpu', gres: 'gpu:1' } });
    const again = await runCli(['instructor', 'init', dir, '--group', gid, '--slurm-partition', 'short', '--slurm-time', '00:15:00']);
    expect(again.code, again.err).toBe(0);
    expect(readCourseSlurm(dir)).toEqual({ slurm: { partition: 'short', time: '00:15:00' } });
  });
  it('refuses a bad setting, and a Slurm flag without a partition', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'eds-slurm-init-')), 'course');
    const bad = await runCli(['instructor', 'init', dir, '--group', gid, '--slurm-partition', 'a b']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--slurm-partition must be a Slurm partition name');
    const stray = await runCli(['instructor', 'init', dir, '--group', gid, '--slurm-time', '10']);
    expect(stray.code).toBe(2);
    expect(stray.err).toContain('--slurm-time needs --slurm-partition');
  });
});
