// Who a uid is and who is in a group (getent, so LDAP accounts count): the course directory's ownership checks ask it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A user as the account database knows it. */
export interface Account {
  /** Login name. */
  login: string;
  /** Numeric uid. */
  uid: number;
  /** Primary group id. */
  gid: number;
}

/** A group as the account database knows it. */
export interface Group {
  /** Group name. */
  name: string;
  /** Numeric gid. */
  gid: number;
  /** Logins listed as members (users whose primary group it is are not listed; `isMember` counts them). */
  members: string[];
}

// Answers do not change within one command; every check of a directory asks about the same few ids.
const users = new Map<number, Account | null>();
const groups = new Map<number, Group | null>();

/** Lines of `getent DB KEY…`, or of the local file when there is no getent (minimal containers). */
function lookup(db: 'passwd' | 'group', keys: string[]): string[] {
  const r = spawnSync('getent', [db, ...keys], { encoding: 'utf8', timeout: 10_000, maxBuffer: 64 * 2 ** 20 });
  if (!r.error) return (r.stdout ?? '').split('\n').filter(Boolean);
  try {
    const wanted = new Set(keys);
    return readFileSync(`/etc/${db}`, 'utf8')
      .split('\n')
      .filter((l) => wanted.has(l.split(':')[2] ?? '') || wanted.has(l.split(':')[0] ?? ''));
  } catch {
    return [];
  }
}

/** The accounts of the given uids, in one lookup; a uid nobody has maps to null. */
export function accountsOf(uids: readonly number[]): Map<number, Account | null> {
  const missing = [...new Set(uids)].filter((u) => !users.has(u));
  if (missing.length) {
    for (const u of missing) users.set(u, null);
    for (const line of lookup('passwd', missing.map(String))) {
      const [login, , uid, gid] = line.split(':');
      if (login && uid && gid && /^\d+$/.test(uid) && /^\d+$/.test(gid)) users.set(Number(uid), { login, uid: Number(uid), gid: Number(gid) });
    }
  }
  return new Map(uids.map((u) => [u, users.get(u) ?? null]));
}

/** The account of one uid, or null. */
export function accountOf(uid: number): Account | null {
  return accountsOf([uid]).get(uid) ?? null;
}

/** The group with this gid, or null. */
export function groupOf(gid: number): Group | null {
  if (!groups.has(gid)) {
    groups.set(gid, null);
    for (const line of lookup('group', [String(gid)])) {
      const [name, , id, members] = line.split(':');
      if (name && id === String(gid)) groups.set(gid, { name, gid, members: (members ?? '').split(',').filter(Boolean) });
    }
  }
  return groups.get(gid) ?? null;
}

/** Whether the user is in the group: as its primary group, or listed as a member. */
export function isMember(uid: number, gid: number): boolean {
  const user = accountOf(uid);
  if (!user) return false;
  if (user.gid === gid) return true;
  return groupOf(gid)?.members.includes(user.login) ?? false;
}

/** Whether a course directory, its description or its drop directory may belong to this uid: root, or one of the instructors. */
export function trustedOwner(uid: number, gid: number): boolean {
  return uid === 0 || isMember(uid, gid);
}

/** `hal (uid 1003)`, or `uid 1003` for a uid nobody has. */
export function describeUid(uid: number): string {
  const user = accountOf(uid);
  return user ? `${user.login} (uid ${uid})` : `uid ${uid}`;
}

/** `eds-staff (gid 1001)`, or `gid 1001` for a gid no group has. */
export function describeGid(gid: number): string {
  const group = groupOf(gid);
  return group ? `${group.name} (gid ${gid})` : `gid ${gid}`;
}
