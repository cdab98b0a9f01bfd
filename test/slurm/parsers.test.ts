import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SlurmCluster } from '../../src/main/core/slurm/cluster';
import { describeJob } from '../../src/main/core/slurm/describe';
import { parseDuration, slurmTime } from '../../src/main/core/slurm/duration';
import { gpuIdsFromGresDetail, gpusInNodeGres, gpusInTres } from '../../src/main/core/slurm/gres';
import { projectSlurmOptions } from '../../src/main/core/slurm/project-options';
import { pendingReason } from '../../src/main/core/slurm/reasons';
import { parseLimits } from '../../src/main/core/slurm/sacctmgr';
import { jobComment, parseJobComment } from '../../src/main/core/slurm/session-info';
import type { ClusterShell } from '../../src/main/core/slurm/shell';
import { parseSinfo } from '../../src/main/core/slurm/sinfo';
import { parseSqueue, queuePosition } from '../../src/main/core/slurm/squeue';

/** Answers captured from the test cluster (Slurm 22.05.8, `squeue --json` = OpenAPI v0.0.38). */
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const owner = { id: 'owner1', name: 'alice' };

describe('squeue --json (Slurm 22.05, OpenAPI v0.0.38)', () => {
  it('reads every job with its state, reason, node and cards from gres_detail', () => {
    const jobs = parseSqueue(fixture('squeue-22.05-pending.json'));
    const byId = new Map(jobs.map((j) => [j.id, j]));
    expect(byId.get('10')).toMatchObject({ user: 'btbob', state: 'RUNNING', nodes: 'bt-node1', gpuIds: ['0'], gpusRequested: 1, partition: 'gpu' });
    expect(byId.get('11')).toMatchObject({ user: 'btalice', state: 'RUNNING', nodes: 'bt-node1', gpuIds: ['1'] });
    expect(byId.get('12')).toMatchObject({ state: 'RUNNING', nodes: 'bt-node2', gpuIds: ['0'] });
    expect(byId.get('13')).toMatchObject({ state: 'PENDING', reason: 'QOSMaxGRESPerUser', nodes: '', gpuIds: [], gpusRequested: 1 });
    expect(byId.get('14')).toMatchObject({ state: 'PENDING', reason: 'QOSMaxGRESPerUser', gpusRequested: 2 });
    expect(byId.get('11')?.timeLimitMinutes).toBe(2);
    expect(byId.get('11')?.startTime).toBeGreaterThan(1_700_000_000);
  });

  it('shows a pending session with its quota reason in words and its place in line; running ones with node:card', () => {
    const jobs = parseSqueue(fixture('squeue-22.05-pending.json'));
    const pending = describeJob('cluster', jobs.find((j) => j.id === '13')!, jobs, owner);
    expect(pending).toMatchObject({ id: '13@cluster', state: 'pending', reason: 'over your GPU quota (QOS)', reasonCode: 'QOSMaxGRESPerUser', position: 1, mine: true, projectName: 'proj' });
    expect(queuePosition(jobs.find((j) => j.id === '14')!, jobs)).toBe(2);
    const running = jobs.filter((j) => j.id === '11' || j.id === '12').map((j) => describeJob('cluster', j, jobs, owner));
    expect(running.map((r) => r.cards)).toEqual([['bt-node1:1'], ['bt-node2:0']]);
    // Someone else's job (no Benchtop mark, or another owner) is never "mine".
    expect(describeJob('cluster', jobs.find((j) => j.id === '10')!, jobs, owner).mine).toBe(false);
    expect(describeJob('cluster', jobs.find((j) => j.id === '11')!, jobs, { id: 'other', name: 'bob' }).mine).toBe(false);
  });

  it('reads the later OpenAPI shapes too (numbers as {set, infinite, number}, job_state as a list)', () => {
    const later = JSON.stringify({ jobs: [{ job_id: 7, name: 'x', user_name: 'u', job_state: ['PENDING'], state_reason: 'Resources', partition: 'gpu',
      time_limit: { set: true, infinite: false, number: 60 }, start_time: { set: true, infinite: false, number: 0 }, tres_req_str: 'cpu=1,gres/gpu=2', comment: '' }], errors: [] });
    expect(parseSqueue(later)[0]).toMatchObject({ id: '7', state: 'PENDING', reason: 'Resources', timeLimitMinutes: 60, gpusRequested: 2 });
  });

  it('a controller that is down (squeue --json still exits 0, its errors name slurm_load_jobs) is SLURM_UNREACHABLE, not an empty queue', () => {
    expect(() => parseSqueue(fixture('squeue-22.05-controller-down.json'))).toThrow(expect.objectContaining({ code: 'SLURM_UNREACHABLE', message: expect.stringContaining('Failed while looking for jobs') }));
  });

  it('answers SLURM_BAD_ANSWER for output that is not squeue JSON, or JSON without jobs', () => {
    expect(() => parseSqueue('squeue: error: Invalid user')).toThrow(expect.objectContaining({ code: 'SLURM_BAD_ANSWER' }));
    expect(() => parseSqueue('{"meta":{},"errors":[{"error":"Unable to query jobs"}],"jobs":[]}')).toThrow(expect.objectContaining({ code: 'SLURM_BAD_ANSWER', message: expect.stringContaining('Unable to query jobs') }));
    expect(() => parseSqueue('[1,2]')).toThrow(expect.objectContaining({ code: 'SLURM_BAD_ANSWER' }));
    // Half an answer (a dropped connection) is not read as "no jobs".
    const text = fixture('squeue-22.05-running.json');
    expect(() => parseSqueue(text.slice(0, text.length / 2))).toThrow(expect.objectContaining({ code: 'SLURM_BAD_ANSWER' }));
  });
});

describe('sinfo and sacctmgr', () => {
  it('reads the partition, its time limit and its GPUs (2 nodes x gpu:2)', () => {
    expect(parseSinfo(fixture('sinfo.txt'))).toEqual([{ name: 'gpu', available: 'up', timeLimit: '4:00:00', nodes: 2, gpus: 4, gpuTypes: [], isDefault: true }]);
    expect(parseSinfo('a*|up|1:00:00|2|gpu:a100:4(S:0-1)\na*|up|1:00:00|1|(null)\nb|down|infinite|3|gpu:2,mps:100\n')).toEqual([
      { name: 'a', available: 'up', timeLimit: '1:00:00', nodes: 3, gpus: 8, gpuTypes: ['a100'], isDefault: true },
      { name: 'b', available: 'down', timeLimit: 'infinite', nodes: 3, gpus: 6, gpuTypes: [], isDefault: false },
    ]);
    expect(() => parseSinfo('PARTITION AVAIL TIMELIMIT NODES STATE NODELIST\ngpu* up 4:00:00 2 idle bt-node[1-2]')).toThrow(expect.objectContaining({ code: 'SLURM_BAD_ANSWER' }));
  });

  it("reads the user's account, QOS and its GPU-per-user cap", () => {
    expect(parseLimits('btalice', fixture('sacctmgr-assoc.txt'), fixture('sacctmgr-qos.txt'))).toEqual({
      accounts: ['team'], qos: ['gpu-user'], maxGpusPerUser: 2, qosDetails: [{ name: 'gpu-user', maxGpusPerUser: 2 }],
    });
    expect(() => parseLimits('btalice', 'team|gpu-user', '')).toThrow(expect.objectContaining({ code: 'SLURM_BAD_ANSWER' }));
  });
});

describe('words, times and marks', () => {
  it('names the pending reasons a GPU session meets', () => {
    expect(pendingReason('Resources').words).toBe('waiting for GPUs');
    expect(pendingReason('Priority')).toMatchObject({ kind: 'gpus' });
    expect(pendingReason('QOSMaxGRESPerUser').words).toBe('over your GPU quota (QOS)');
    expect(pendingReason('AssocGrpGRES').words).toBe('over your GPU quota (account)');
    expect(pendingReason('PartitionTimeLimit').words).toBe('partition time limit (ask for less --time)');
    expect(pendingReason('SomethingNew')).toEqual({ kind: 'other', words: 'pending (SomethingNew)', code: 'SomethingNew' });
  });

  it('reads --time as people and Slurm write it', () => {
    expect(parseDuration('4h')).toBe(240);
    expect(parseDuration('1h30m')).toBe(90);
    expect(parseDuration('2d')).toBe(2880);
    expect(parseDuration('45')).toBe(45);
    expect(parseDuration('1-02:00:00')).toBe(1560);
    expect(parseDuration('2:30:00')).toBe(150);
    expect(slurmTime(1560)).toBe('1-02:00:00');
    for (const bad of ['', 'soon', '4x', '-3h', '0']) expect(() => parseDuration(bad)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('reads GPU counts from gres_detail, TRES and node GRES', () => {
    expect(gpuIdsFromGresDetail(['gpu:2(IDX:0-1)', 'gpu:a100:2(IDX:3,5)', 'mps:100(0)'])).toEqual(['0', '1', '3', '5']);
    expect(gpusInTres('cpu=1,mem=4000M,node=1,billing=1,gres/gpu=1')).toBe(1);
    expect(gpusInTres('cpu=1,gres/gpu=2,gres/gpu:a100=2')).toBe(2);
    expect(gpusInNodeGres('gpu:tesla:2(S:0),mps:100')).toEqual({ count: 2, types: ['tesla'] });
  });

  it('marks session jobs with owner and project, surviving odd names', () => {
    const mark = { session: 'abc', owner: { id: 'o:1', name: 'Zoë O\'Neil' }, project: 'my proj' };
    expect(parseJobComment(jobComment(mark))).toEqual(mark);
    expect(parseJobComment('some user comment')).toBeUndefined();
  });
});

describe("a project's Slurm choices (customizations.benchtop.slurm)", () => {
  const file = '/p/.devcontainer/devcontainer.json';
  const with_ = (slurm: string) => `{ // comments as people write them
    "image": "x", "customizations": { "benchtop": { "slurm": ${slurm}, }, }, }`;

  it('reads partition, account, QOS, GPUs and time; a project without them says nothing', () => {
    expect(projectSlurmOptions(with_('{ "partition": "gpu", "account": "team", "qos": "gpu-user", "gpus": 2, "time": "1h30m" }'), file))
      .toEqual({ partition: 'gpu', account: 'team', qos: 'gpu-user', gpus: 2, timeMinutes: 90 });
    expect(projectSlurmOptions('{ "image": "x" }', file)).toEqual({});
  });

  it('a wrong value is DEVCONTAINER_INVALID naming the key', () => {
    expect(() => projectSlurmOptions(with_('{ "time": "soon" }'), file)).toThrow(expect.objectContaining({ code: 'DEVCONTAINER_INVALID', message: expect.stringContaining('slurm.time') }));
    expect(() => projectSlurmOptions(with_('{ "gpus": -1 }'), file)).toThrow(expect.objectContaining({ code: 'DEVCONTAINER_INVALID' }));
    expect(() => projectSlurmOptions(with_('{ "partition": "gpu; rm -rf ~" }'), file)).toThrow(expect.objectContaining({ code: 'DEVCONTAINER_INVALID' }));
  });
});

describe('failed commands become coded errors', () => {
  const shell = (answer: { stdout?: string; stderr?: string; exitCode: number }): ClusterShell => ({
    label: 'cluster', user: () => 'btalice', openTcp: () => Promise.reject(new Error('unused')),
    run: async () => ({ stdout: answer.stdout ?? '', stderr: answer.stderr ?? '', exitCode: answer.exitCode }),
  });

  it('a controller that does not answer is SLURM_UNREACHABLE; a missing tool too; a refused job SLURM_SUBMIT_REFUSED', async () => {
    // The words squeue and sbatch print when slurmctld is down (seen on the test cluster).
    await expect(new SlurmCluster(shell({ stderr: 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)', exitCode: 1 })).jobs())
      .rejects.toMatchObject({ code: 'SLURM_UNREACHABLE' });
    await expect(new SlurmCluster(shell({ stderr: 'bash: line 1: squeue: command not found', exitCode: 127 })).jobs()).rejects.toMatchObject({ code: 'SLURM_UNREACHABLE' });
    await expect(new SlurmCluster(shell({ stdout: 'not json', exitCode: 0 })).jobs()).rejects.toMatchObject({ code: 'SLURM_BAD_ANSWER' });
    const submit = { script: '#!/bin/bash\n', jobName: 'x', gpus: 1, comment: '', stateDir: '/tmp/x', makeDirs: [] };
    await expect(new SlurmCluster(shell({ stderr: 'sbatch: error: Batch job submission failed: Requested time limit is invalid (missing or exceeds some limit)', exitCode: 1 })).submit(submit))
      .rejects.toMatchObject({ code: 'SLURM_SUBMIT_REFUSED', hint: expect.stringContaining('--time') });
    await expect(new SlurmCluster(shell({ stdout: 'Submitted batch job 5', exitCode: 0 })).submit(submit)).rejects.toMatchObject({ code: 'SLURM_BAD_ANSWER' });
    expect(await new SlurmCluster(shell({ stdout: '42;btcluster\n', exitCode: 0 })).submit(submit)).toBe('42');
  });
});
