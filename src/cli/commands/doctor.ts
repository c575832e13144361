// `eds doctor`: which neural-network backend runs and why the faster ones do not, CUDA visibility, terminal and data paths.
import type { CommandModule } from 'yargs';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import { detectCaps } from '../../render/caps.js';
import { dataHome } from '../../store/paths.js';
import { VERSION } from '../../version.js';
import type { BackendAttempt } from '../../nn/backend.js';
import { findVulkanLoader } from '../../nn/webgpu.js';
import { resolveCourseDir } from '../../course/config.js';
import { checkCourseDir, groupId } from '../../course/layout.js';
import { safeLine } from '../../util/safe-text.js';
import { readPublishedRanking } from '../../course/ranking-file.js';
import { slurmLines, slurmReport, type SlurmReport } from '../../runner/slurm-doctor.js';

/** What `eds doctor --json` prints (snake_case, stable). */
export interface DoctorReport {
  /** eds version. */
  eds_version: string;
  /** Node.js version. */
  node_version: string;
  /** OS and CPU architecture, e.g. "linux x64". */
  platform: string;
  /** CPU cores this process may use. */
  cpu_count: number;
  /** CPU model name. */
  cpu_model: string;
  /** Total memory in GiB. */
  memory_gib: number;
  /** The backend in use and every one tried, with reasons. */
  backend: {
    /** 'gpu' | 'webgpu' | 'native' | 'wasm' | 'js'. */
    in_use: string;
    /** One human line, e.g. "WebAssembly (SIMD, 1 thread, training on up to 2 worker threads)". */
    detail: string;
    /** Set when auto fell to plain JavaScript. */
    warning?: string;
    /** Seconds to load tfjs and start the backend. */
    load_seconds: number;
    /** Backends tried before the one in use, and why each failed. */
    failed: Array<{ backend: string; reason: string }>;
  };
  /** What a CUDA build would see. */
  cuda: {
    /** Path of nvidia-smi, or null when not on PATH. */
    nvidia_smi: string | null;
    /** GPUs nvidia-smi lists ("GPU 0: NVIDIA H100 …"). */
    gpus: string[];
    /** CUDA_VISIBLE_DEVICES as set, or null when unset. */
    cuda_visible_devices: string | null;
    /** libcudart paths the dynamic linker cache knows (ldconfig -p). */
    libcudart: string[];
    /** libcudnn paths the dynamic linker cache knows. */
    libcudnn: string[];
  };
  /** What the WebGPU route (Dawn, through Vulkan) needs; why it is not in use is in backend.failed. */
  webgpu: {
    /** Path of the Vulkan loader (libvulkan.so.1), or null when none is installed. */
    vulkan_loader: string | null;
    /** Vulkan drivers (ICD manifests) installed: NVIDIA's is nvidia_icd.json; lvp_icd is Mesa's software one. */
    vulkan_drivers: string[];
  };
  /** Terminal capabilities as the renderers will use them. */
  terminal: { width: number; height: number; colors: number | string; unicode: boolean; is_tty: boolean };
  /** The student's data directory (database, settings). */
  data_dir: string;
  /** The shared course directory (EDS_COURSE_DIR or a config file), or null. */
  course_dir: string | null;
  /** What is wrong with it ('unsafe: …' when records could leak, 'unusable: …'); empty when fine or none. */
  course_problems: string[];
  /** The class ranking an instructor published there ('published … , N entries', 'not published yet', or what is wrong), or null without a course directory. */
  course_ranking: string | null;
  /** Slurm: whether it answers, the settings in force, the partitions and GPUs this student may use, and why not. */
  slurm: SlurmReport;
  /** The PhaseNet weights `eds run pick --weights NAME` can load. */
  phasenet_weights: PhaseNetWeightsReport[];
}

/** One shipped PhaseNet weights set, as `eds doctor` reports it. */
export interface PhaseNetWeightsReport {
  /** `published` or `shipped`: the value of --weights. */
  name: string;
  /** What they are, in one line. */
  description: string;
  /** Their folder. */
  dir: string;
  /** Who trained them (model.json's provenance), or null. */
  trained_by: string | null;
  /** Samples per window the network takes. */
  window_samples: number | null;
  /** Trainable parameters (batch-norm moving statistics excluded). */
  trainable_parameters: number | null;
  /** Every number in the weights file. */
  values: number | null;
  /** Why they cannot be read, or null when they can. */
  problem: string | null;
}

interface DoctorArgs {
  json?: boolean;
}

/** The first executable called `name` on PATH, or null. */
export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; keep looking.
    }
  }
  return null;
}

/** Runs a probe command briefly; any failure (missing, hung, non-zero) reads as no output. */
function probe(command: string, args: string[]): string {
  try {
    const r = spawnSync(command, args, { encoding: 'utf8', timeout: 3000, stdio: ['ignore', 'pipe', 'ignore'] });
    return r.status === 0 ? r.stdout : '';
  } catch {
    return '';
  }
}

/** Library paths from `ldconfig -p` output whose name starts with `lib`. */
export function librariesIn(ldconfigOutput: string, lib: string): string[] {
  const out: string[] = [];
  for (const line of ldconfigOutput.split('\n')) {
    const m = /^\s*(\S+)\s.*=>\s*(\S+)\s*$/.exec(line);
    if (m && m[1]!.startsWith(lib)) out.push(m[2]!);
  }
  return out;
}

/** The Vulkan ICD manifests the loader would read, by file name. */
function vulkanDrivers(): string[] {
  const out: string[] = [];
  for (const dir of ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d']) {
    try {
      for (const name of readdirSync(dir)) if (name.endsWith('.json')) out.push(safeLine(name, 100));
    } catch {
      // No such directory: no driver there.
    }
  }
  return out.sort();
}

/** Gathers the report; loads tfjs (that load is timed and reported). */
export async function gatherDoctorReport(env: NodeJS.ProcessEnv = process.env): Promise<DoctorReport> {
  const { initBackend } = await import('../../nn/backend.js');
  const { info } = await initBackend('auto');
  const smi = which('nvidia-smi', env);
  const gpus = smi
    ? probe(smi, ['-L'])
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const ldconfig = which('ldconfig', env) ?? ['/sbin/ldconfig', '/usr/sbin/ldconfig'].find((p) => isExecutable(p)) ?? null;
  const cache = ldconfig ? probe(ldconfig, ['-p']) : '';
  const caps = detectCaps(env);
  const failed = info.attempts.filter((a: BackendAttempt) => !a.ok).map((a) => ({ backend: a.kind, reason: a.reason ?? 'unknown' }));
  return {
    eds_version: VERSION,
    node_version: process.versions.node,
    platform: `${process.platform} ${process.arch}`,
    cpu_count: availableParallelism(),
    cpu_model: cpus()[0]?.model?.trim() ?? 'unknown',
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    backend: {
      in_use: info.kind,
      detail: info.description,
      ...(info.warning ? { warning: info.warning } : {}),
      load_seconds: Math.round(info.loadSeconds * 1000) / 1000,
      failed,
    },
    cuda: {
      nvidia_smi: smi,
      gpus,
      cuda_visible_devices: env.CUDA_VISIBLE_DEVICES ?? null,
      libcudart: librariesIn(cache, 'libcudart'),
      libcudnn: librariesIn(cache, 'libcudnn'),
    },
    webgpu: { vulkan_loader: findVulkanLoader(env), vulkan_drivers: vulkanDrivers() },
    terminal: { width: caps.width, height: caps.height, colors: caps.colors, unicode: caps.unicode, is_tty: Boolean(process.stdout.isTTY) },
    data_dir: dataHome(env),
    ...courseReport(env),
    slurm: await slurmReport(env),
    phasenet_weights: await weightsReport(),
  };
}

/** Each shipped weights set read from disk (not loaded into a network): provenance, window length, parameter count. */
async function weightsReport(): Promise<PhaseNetWeightsReport[]> {
  const { readPhaseNetWeights, SHIPPED_WEIGHTS } = await import('../../seismology/phasenet/weights.js');
  return (Object.keys(SHIPPED_WEIGHTS) as Array<keyof typeof SHIPPED_WEIGHTS>).map((name) => {
    const { dir, description } = SHIPPED_WEIGHTS[name];
    try {
      const w = readPhaseNetWeights(dir);
      return {
        name,
        description,
        dir,
        trained_by: w.provenance?.trainedBy ?? null,
        window_samples: w.length,
        trainable_parameters: w.trainableParams,
        values: w.totalValues,
        problem: null,
      };
    } catch (err) {
      const problem = safeLine(err instanceof Error ? err.message : String(err), 300);
      return { name, description, dir, trained_by: null, window_samples: null, trainable_parameters: null, values: null, problem };
    }
  });
}

/**
 * The configured course directory and what is wrong with it (permissions, and owners: a course
 * directory or drop directory a student owns, or one made for another group than the config file
 * names); a broken config file is a problem, not a crash.
 */
function courseReport(env: NodeJS.ProcessEnv): Pick<DoctorReport, 'course_dir' | 'course_problems' | 'course_ranking'> {
  try {
    const setting = resolveCourseDir(env);
    if (!setting) return { course_dir: null, course_problems: [], course_ranking: null };
    const check = checkCourseDir(setting.dir, setting.group !== undefined ? { gid: groupId(setting.group) } : {});
    const problems = check.problems.map((p) => safeLine(`${p.severity}: ${p.message}${p.command ? ` (as root: ${p.command})` : ''}`, 4000));
    return { course_dir: setting.dir, course_problems: problems, course_ranking: rankingState(setting.dir) };
  } catch (err) {
    return { course_dir: null, course_problems: [err instanceof Error ? err.message : String(err)], course_ranking: null };
  }
}

/** What the students' tutors will find as the class ranking, in a few words. */
function rankingState(dir: string): string {
  const read = readPublishedRanking(dir);
  if ('missing' in read) return 'not published yet (eds instructor leaderboard --publish)';
  if ('problem' in read) return read.problem;
  const n = read.ranking.entries.length;
  return `published ${read.ranking.published.slice(0, 16).replace('T', ' ')} UTC, ${n} ${n === 1 ? 'entry' : 'entries'}`;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The human view: one labelled line per fact, reasons spelled out. */
export function formatDoctorReport(r: DoctorReport): string {
  const lines: string[] = [];
  const row = (label: string, value: string): void => {
    lines.push(`${(label + ':').padEnd(14)}${value}`);
  };
  row('eds', `${r.eds_version} on Node ${r.node_version} (${r.platform})`);
  row('CPU', `${r.cpu_count} cores, ${r.cpu_model}, ${r.memory_gib} GiB memory`);
  row('backend', `${r.backend.in_use}: ${r.backend.detail} (tfjs ready in ${r.backend.load_seconds.toFixed(2)} s)`);
  for (const f of r.backend.failed) row(`  not ${f.backend}`, f.reason);
  if (r.backend.warning) row('warning', r.backend.warning);
  row(
    'Vulkan',
    `${r.webgpu.vulkan_loader ?? 'no loader (libvulkan1 not installed)'}; drivers: ${r.webgpu.vulkan_drivers.length ? r.webgpu.vulkan_drivers.join(', ') : 'none'}`,
  );
  row('nvidia-smi', r.cuda.nvidia_smi ? `${r.cuda.nvidia_smi}${r.cuda.gpus.length ? '' : ' (lists no GPU)'}` : 'not found on PATH');
  for (const gpu of r.cuda.gpus) row('  GPU', gpu);
  row(
    'CUDA devices',
    r.cuda.cuda_visible_devices === null ? 'CUDA_VISIBLE_DEVICES unset (all visible)' : `CUDA_VISIBLE_DEVICES="${r.cuda.cuda_visible_devices}"`,
  );
  row('libcudart', r.cuda.libcudart.length ? r.cuda.libcudart.join(', ') : 'not in the linker cache (ldconfig -p)');
  row('libcudnn', r.cuda.libcudnn.length ? r.cuda.libcudnn.join(', ') : 'not in the linker cache (ldconfig -p)');
  const t = r.terminal;
  row(
    'terminal',
    `${t.width}×${t.height}, ${t.colors === 0 ? 'no colour' : `${t.colors} colours`}, ${t.unicode ? 'Unicode' : 'ASCII only'}${t.is_tty ? '' : ', not a TTY'}`,
  );
  row('data', r.data_dir);
  row('course', r.course_dir ?? 'none (EDS_COURSE_DIR unset, no config file)');
  for (const p of r.course_problems) row('  warning', p);
  if (r.course_ranking !== null) row('  ranking', r.course_ranking);
  // Partition names, reasons and paths come from Slurm and files: printed safe.
  for (const [label, value] of slurmLines(r.slurm)) row(label, safeLine(value, 4000));
  row('PhaseNet', 'weights for eds run pick --weights NAME');
  for (const w of r.phasenet_weights) {
    if (w.problem) row(`  ${w.name}`, `unreadable: ${w.problem}`);
    else
      row(
        `  ${w.name}`,
        `${w.trainable_parameters?.toLocaleString('en-US')} trainable parameters, ${w.window_samples}-sample windows; ${safeLine(w.trained_by ?? 'no provenance', 200)}`,
      );
  }
  return lines.join('\n') + '\n';
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'show the neural-network backend (GPU or not, and why), Slurm (partitions and GPUs you may use), terminal capabilities and data paths',
  builder: (yargs) => yargs.option('json', { type: 'boolean', describe: 'print the report as JSON' }),
  handler: async (args) => {
    const report = await gatherDoctorReport();
    process.stdout.write(args.json ? JSON.stringify(report, null, 2) + '\n' : formatDoctorReport(report));
  },
};
