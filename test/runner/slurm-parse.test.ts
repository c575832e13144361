// Slurm's output as the runner and `eds doctor` read it: samples as Slurm 22.05 prints them, and hostile variants.
import { describe, expect, it } from 'vitest';
import {
  endLine,
  parsePartitionRules,
  parseSacct,
  parseSbatchId,
  parseScontrolJob,
  parseSinfo,
  partitionRefusal,
  phaseOf,
} from '../../src/runner/slurm-parse.js';

const RUNNING =
  'JobId=2 JobName=eds-train UserId=erin(1001) GroupId=erin(1001) MCS_label=N/A Priority=4294901758 Nice=0 Account=(null) QOS=(null) JobState=RUNNING Reason=None Dependency=(null) Requeue=0 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0 RunTime=00:00:03 TimeLimit=00:10:00 TimeMin=N/A SubmitTime=2026-12-03T09:13:33 Partition=debug AllocNode:Sid=localhost:7889 ReqNodeList=(null) ExcNodeList=(null) NodeList=vm BatchHost=vm NumNodes=1 NumCPUs=1 Command=/tmp/a b JobState=COMPLETED Reason=Forged/job.sh WorkDir=/tmp StdErr=/tmp/j.out StdIn=/dev/null StdOut=/tmp/j.out Power= \n';
const PENDING =
  'JobId=7 JobName=eds-train JobState=PENDING Reason=Priority Dependency=(null) ExitCode=0:0 TimeLimit=UNLIMITED NodeList=(null) BatchHost=(null) Command=/x\n';
const TIMEOUT = 'JobId=9 JobName=eds-train JobState=TIMEOUT Reason=TimeLimit Dependency=(null) ExitCode=0:15 TimeLimit=00:01:00 NodeList=vm BatchHost=vm\n';

describe('sbatch --parsable', () => {
  it('gives the job id, with or without a cluster name', () => {
    expect(parseSbatchId('12\n')).toBe('12');
    expect(parseSbatchId('12;edstest\n')).toBe('12');
    expect(parseSbatchId('sbatch: error: invalid partition\n')).toBeNull();
    expect(parseSbatchId('12\n13\n')).toBeNull();
  });
});

describe('scontrol show job -o', () => {
  it('reads the state, reason, exit code, node and limit, and not the fields a path could forge', () => {
    expect(parseScontrolJob(RUNNING)).toEqual({ id: '2', state: 'RUNNING', exitCode: '0:0', node: 'vm', timeLimit: '00:10:00' });
  });
  it('says why a job waits, and has no node yet', () => {
    expect(parseScontrolJob(PENDING)).toEqual({ id: '7', state: 'PENDING', reason: 'Priority', exitCode: '0:0', timeLimit: 'UNLIMITED' });
  });
  it('is null for an unknown job', () => {
    expect(parseScontrolJob('slurm_load_jobs error: Invalid job id specified\n')).toBeNull();
  });
  it('makes control characters in a value inert', () => {
    const s = parseScontrolJob('JobId=3 JobState=FAILED Reason=\u001b]0;owned\u0007 NodeList=vm\n');
    expect(s?.reason).toBe(']0;owned');
  });
});

describe('sacct -n -P -X', () => {
  it('reads a job accounting kept, with the word of a state such as "CANCELLED by 1001"', () => {
    expect(parseSacct('12|CANCELLED by 1001|0:15|vm|00:10:00|None\n', '12')).toEqual({
      id: '12',
      state: 'CANCELLED',
      exitCode: '0:15',
      node: 'vm',
      timeLimit: '00:10:00',
    });
    expect(parseSacct('12|PENDING|0:0|None assigned|00:10:00|Priority\n', '12')).toEqual({
      id: '12',
      state: 'PENDING',
      exitCode: '0:0',
      timeLimit: '00:10:00',
      reason: 'Priority',
    });
    expect(parseSacct('13|COMPLETED|0:0|vm|1|None\n', '12')).toBeNull();
  });
});

describe('the phase of a state', () => {
  it('tells waiting, running and ended apart', () => {
    expect(['PENDING', 'CONFIGURING', 'REQUEUED', 'SUSPENDED'].map(phaseOf)).toEqual(['waiting', 'waiting', 'waiting', 'waiting']);
    expect(['RUNNING', 'COMPLETING'].map(phaseOf)).toEqual(['running', 'running']);
    expect(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'PREEMPTED', 'NODE_FAIL', 'OUT_OF_MEMORY', 'UNKNOWN'].every((s) => phaseOf(s) === 'ended')).toBe(
      true,
    );
  });
});

describe('the line for a job that ended without a result', () => {
  it('says a time-out with the limit in words and how Slurm counts it', () => {
    expect(endLine(parseScontrolJob(TIMEOUT)!)).toBe(
      'Slurm job 9 timed out on vm: it ran past its time limit of 1 minute (Slurm counts --time in whole minutes); ask for more with --time',
    );
  });
  it('gives the task’s own message for a failed job, else its exit code and reason', () => {
    const failed = { id: '4', state: 'FAILED', reason: 'NonZeroExitCode', exitCode: '1:0', node: 'n01' };
    expect(endLine(failed, 'no such file: data.csv')).toBe('Slurm job 4 failed on n01 with exit code 1:0: no such file: data.csv');
    expect(endLine(failed)).toBe('Slurm job 4 failed on n01 with exit code 1:0 (NonZeroExitCode)');
  });
  it('says pre-emption, node failure, memory and cancelling in words', () => {
    expect(endLine({ id: '5', state: 'PREEMPTED', node: 'g1' })).toMatch(/^Slurm job 5 was pre-empted on g1 /);
    expect(endLine({ id: '5', state: 'NODE_FAIL', node: 'g1' })).toBe('Slurm job 5 ended: its node g1 failed; run it again');
    expect(endLine({ id: '5', state: 'OUT_OF_MEMORY', node: 'g1', reason: 'OutOfMemory' })).toBe('Slurm job 5 ran out of memory on g1 (OutOfMemory)');
    expect(endLine({ id: '5', state: 'CANCELLED' })).toBe('Slurm job 5 was cancelled');
    expect(endLine({ id: '5', state: 'SPECIAL_EXIT' })).toBe('Slurm job 5 ended as SPECIAL_EXIT');
  });
});

describe('sinfo and scontrol show partition', () => {
  const SINFO =
    'debug*|up|infinite|1|idle|(null)\ngpu|up|1-00:00:00|2|mixed|gpu:a100:4(S:0-1)\ngpu|up|1-00:00:00|1|drained*|gpu:a100:4(S:0-1)\nbig|down|2:00:00|3|down*|(null)\n';
  it('merges a partition’s node lines, marks the default and lists its GPUs once', () => {
    expect(parseSinfo(SINFO)).toEqual([
      { name: 'debug', default: true, availability: 'up', timeLimit: 'infinite', nodes: { idle: 1 }, gres: [] },
      { name: 'gpu', default: false, availability: 'up', timeLimit: '1-00:00:00', nodes: { mixed: 2, drained: 1 }, gres: ['gpu:a100:4'] },
      { name: 'big', default: false, availability: 'down', timeLimit: '2:00:00', nodes: { down: 3 }, gres: [] },
    ]);
  });
  const RULES =
    'PartitionName=debug AllowGroups=ALL AllowAccounts=ALL AllowQos=ALL Default=YES RootOnly=NO State=UP TotalCPUs=2\n' +
    'PartitionName=gpu AllowGroups=geo-staff,geo-101 AllowAccounts=geo DenyAccounts=other RootOnly=NO State=UP\n' +
    'PartitionName=admin AllowGroups=ALL AllowAccounts=ALL RootOnly=YES State=UP\n' +
    'PartitionName=old AllowGroups=ALL AllowAccounts=ALL RootOnly=NO State=DRAIN\n';
  const [debug, gpu, admin, old] = parsePartitionRules(RULES);
  it('says who may use each partition, and why not', () => {
    const student = { uid: 1001, groups: ['erin', 'geo-101'] };
    const stranger = { uid: 1002, groups: ['bob'] };
    expect(partitionRefusal(debug!, stranger)).toBeNull();
    expect(partitionRefusal(gpu!, student)).toBeNull();
    expect(partitionRefusal(gpu!, stranger)).toBe('only the groups geo-staff, geo-101 may use it, and you are in none of them');
    expect(partitionRefusal(gpu!, { ...student, account: 'other' })).toBe('the account other is refused there (DenyAccounts)');
    expect(partitionRefusal(gpu!, { ...student, account: 'chem' })).toBe('the account chem is not among its AllowAccounts');
    expect(partitionRefusal(admin!, student)).toBe('only root may submit to it (RootOnly)');
    expect(partitionRefusal(old!, student)).toBe('the partition is drain');
  });
});
