// Journal mode choice: network filesystems get the rollback journal, local disks WAL, EDS_JOURNAL overrides.
import { statfsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { chooseJournalMode, networkFilesystemName, openStore } from '../../src/store/index.js';
import { tempHome } from './helpers.js';

describe('networkFilesystemName', () => {
  it.each([
    [0x6969, 'nfs'],
    [0x517b, 'smb'],
    [0xff534d42, 'cifs'],
    [0xfe534d42, 'smb2'],
    [0x47504653, 'gpfs'],
    [0x0bd00bd0, 'lustre'],
    [0x00c36400, 'cephfs'],
    [0x5346414f, 'afs'],
    [0x19830326, 'beegfs'],
    [0x65735546, 'fuse'],
  ])('knows %s as %s', (magic, name) => {
    expect(networkFilesystemName(magic)).toBe(name);
  });

  it('reads a sign-extended f_type (32-bit longs) as the same filesystem', () => {
    expect(networkFilesystemName(0xff534d42 - 2 ** 32)).toBe('cifs');
    expect(networkFilesystemName(BigInt(0xfe534d42) - 2n ** 32n)).toBe('smb2');
  });

  it.each([
    [0xef53, 'ext4'],
    [0x58465342, 'xfs'],
    [0x9123683e, 'btrfs'],
    [0x01021994, 'tmpfs'],
    [0x2fc12fc1, 'zfs'],
    [0x794c7630, 'overlayfs'],
  ])('treats %s (%s) as local', (magic) => {
    expect(networkFilesystemName(magic)).toBeNull();
  });
});

describe('chooseJournalMode', () => {
  const nfs = () => 0x6969;
  const ext4 = () => 0xef53;

  it('uses WAL on a local disk, silently', () => {
    expect(chooseJournalMode('/home/ana', {}, ext4, 'linux')).toEqual({ mode: 'wal', network: null, warnings: [] });
  });

  it('uses the rollback journal on a network filesystem and says so', () => {
    expect(chooseJournalMode('/home/ana', {}, nfs, 'linux')).toEqual({
      mode: 'delete',
      network: 'nfs',
      warnings: ['network filesystem (nfs) at /home/ana: using the rollback journal'],
    });
  });

  it('lets EDS_JOURNAL override, warning when WAL is forced onto a network filesystem', () => {
    expect(chooseJournalMode('/d', { EDS_JOURNAL: 'delete' }, ext4, 'linux')).toMatchObject({ mode: 'delete', warnings: [] });
    const forced = chooseJournalMode('/d', { EDS_JOURNAL: 'WAL' }, () => 0x47504653, 'linux');
    expect(forced.mode).toBe('wal');
    expect(forced.warnings).toEqual(['EDS_JOURNAL=wal on a network filesystem (gpfs) at /d: unsafe if eds runs on two machines at once']);
  });

  it('refuses a misspelt EDS_JOURNAL with one clear line', () => {
    expect(() => chooseJournalMode('/d', { EDS_JOURNAL: 'wall' }, ext4, 'linux')).toThrow(UserError);
    expect(() => chooseJournalMode('/d', { EDS_JOURNAL: 'wall' }, ext4, 'linux')).toThrow('EDS_JOURNAL must be "wal" or "delete", not "wall"');
  });

  it('falls back to WAL when statfs fails, and ignores magic numbers off Linux', () => {
    const broken = () => {
      throw new Error('ENOSYS');
    };
    expect(chooseJournalMode('/d', {}, broken, 'linux').mode).toBe('wal');
    expect(chooseJournalMode('/d', {}, nfs, 'darwin').mode).toBe('wal');
  });
});

describe('openStore on this machine', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('uses the mode detection picks for the real test directory (set EDS_TEST_TMPDIR to try another filesystem)', () => {
    const t = tempHome();
    cleanup = t.cleanup;
    const network = process.platform === 'linux' ? networkFilesystemName(statfsSync(t.home).type) : null;
    const store = openStore({ home: t.home, user: 'ana', env: {} });
    expect(store.journalMode).toBe(network ? 'delete' : 'wal');
    expect(store.warnings).toEqual(network ? [`network filesystem (${network}) at ${t.home}: using the rollback journal`] : []);
    store.close();
  });

  it('reports a network filesystem through the store, with the mode really in effect', () => {
    const t = tempHome();
    cleanup = t.cleanup;
    const store = openStore({ home: t.home, user: 'ana', env: {} }, { statfsType: () => 0x0bd00bd0 });
    expect(store.journalMode).toBe('delete');
    expect(store.warnings).toEqual([`network filesystem (lustre) at ${t.home}: using the rollback journal`]);
    store.close();
  });
});
