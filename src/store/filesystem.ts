// Chooses SQLite's journal mode for the student's data directory: WAL on local disks, the rollback journal on network filesystems.
//
// WAL keeps its index in shared memory (the -shm file, mmapped), which only works when every
// process touching the database runs on one host. Cluster home directories are network
// filesystems, and a student may well run `eds` on a login node and a compute node at once,
// so there we fall back to the rollback journal, which relies only on POSIX file locks.
import { statfsSync } from 'node:fs';
import { UserError } from '../errors.js';

/** SQLite journal modes the store uses. */
export type JournalMode = 'wal' | 'delete';

/**
 * Linux `statfs(2)` `f_type` magic numbers of filesystems that are shared between hosts, or may
 * be (FUSE is included because sshfs, gcsfuse, s3fs, GlusterFS, WekaFS, … all show up as FUSE and
 * we cannot tell them from local ones by the number alone; the rollback journal is correct
 * everywhere, so erring on its side costs only some speed).
 */
export const NETWORK_FILESYSTEMS: ReadonlyMap<number, string> = new Map([
  [0x6969, 'nfs'],
  [0x517b, 'smb'],
  [0xff534d42, 'cifs'],
  [0xfe534d42, 'smb2'],
  [0x47504653, 'gpfs'],
  [0x0bd00bd0, 'lustre'],
  [0x00c36400, 'cephfs'],
  [0x5346414f, 'afs'],
  [0x6b414653, 'afs'],
  [0x19830326, 'beegfs'],
  [0x65735546, 'fuse'],
  [0x01021997, '9p'],
  [0x73757245, 'coda'],
  [0x0000564c, 'ncp'],
  [0x7461636f, 'ocfs2'],
  [0x01161970, 'gfs2'],
  [0xaad7aaea, 'panfs'],
  [0x20030528, 'orangefs'],
]);

/** The name of the network filesystem with this `statfs` type, or null for a local one. */
export function networkFilesystemName(type: number | bigint): string | null {
  // f_type is a signed long on some architectures: normalise to an unsigned 32-bit value.
  const magic = Number(BigInt.asUintN(32, BigInt(type)));
  return NETWORK_FILESYSTEMS.get(magic) ?? null;
}

/** What `chooseJournalMode` decided, and why. */
export interface JournalChoice {
  /** The mode to ask SQLite for. */
  mode: JournalMode;
  /** The network filesystem the directory is on (e.g. "nfs"), or null if local or unknown. */
  network: string | null;
  /** Lines for the caller to show the student (empty when all is ordinary). */
  warnings: string[];
}

/** Injectable for tests: returns the `f_type` of the filesystem holding `dir`. */
export type StatfsType = (dir: string) => number | bigint;

const defaultStatfsType: StatfsType = (dir) => statfsSync(dir).type;

/**
 * Picks the journal mode for a database in `dir`. `EDS_JOURNAL=wal|delete` overrides detection
 * (to test both modes, or when the detection is wrong for an unusual mount).
 */
export function chooseJournalMode(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
  statfsType: StatfsType = defaultStatfsType,
  platform: NodeJS.Platform = process.platform,
): JournalChoice {
  const network = detectNetworkFilesystem(dir, statfsType, platform);
  const forced = env.EDS_JOURNAL?.trim().toLowerCase();
  if (forced !== undefined && forced !== '') {
    if (forced !== 'wal' && forced !== 'delete') {
      throw new UserError(`EDS_JOURNAL must be "wal" or "delete", not "${env.EDS_JOURNAL}"`, {
        hint: 'unset EDS_JOURNAL to let eds choose',
      });
    }
    const warnings =
      forced === 'wal' && network ? [`EDS_JOURNAL=wal on a network filesystem (${network}) at ${dir}: unsafe if eds runs on two machines at once`] : [];
    return { mode: forced, network, warnings };
  }
  if (network) {
    return { mode: 'delete', network, warnings: [`network filesystem (${network}) at ${dir}: using the rollback journal`] };
  }
  return { mode: 'wal', network: null, warnings: [] };
}

function detectNetworkFilesystem(dir: string, statfsType: StatfsType, platform: NodeJS.Platform): string | null {
  // The magic numbers are Linux's; other systems number filesystems differently. Students run
  // eds on Linux clusters; elsewhere (a laptop) the disk is almost always local.
  if (platform !== 'linux') return null;
  try {
    return networkFilesystemName(statfsType(dir));
  } catch {
    // statfs can fail in odd sandboxes; opening the database will report a real access problem.
    return null;
  }
}
