import { describe, expect, it } from 'vitest';
import { clusterLoginName, isTeamHost, loginNodeOf, teamHostAddRequest } from '../../src/main/core/team/cluster';
import { effectiveDefaultTarget } from '../../src/main/core/team/effective';
import { parseTeamFile } from '../../src/main/core/team/file';
import { joinPlan } from '../../src/main/core/links/plan';
import { BenchtopError } from '../../src/main/core/errors';

/**
 * A team file may list a Slurm cluster (`"kind": "slurm"`): its login node, its key fingerprints and
 * its own job settings; each wrong field is TEAM_FILE_INVALID naming the file, line and key. Joining
 * adds it as `slurm://<your login name>@<login node>` with the team's job defaults under its own.
 */
const FP = `SHA256:${'B'.repeat(43)}`;
const CLUSTER = {
  id: 'hpc',
  kind: 'slurm',
  address: 'login.hpc.example.com:2222',
  fingerprints: [FP],
  slurm: { partition: 'gpu', qos: 'gpu-user', sharedDir: '/shared/{user}/benchtop', runtime: 'podman', gpuDevicePattern: '/dev/nvidia{index}' },
};
const TEAM = { name: 'Data team', hosts: [CLUSTER], defaultTarget: 'hpc', slurm: { partition: 'cpu', account: 'team' } };

function parseError(team: unknown): BenchtopError {
  try {
    parseTeamFile(JSON.stringify(team, null, 2), 'team.json');
  } catch (error) {
    if (error instanceof BenchtopError) return error;
    throw error;
  }
  throw new Error('the team file was accepted');
}

describe('a Slurm cluster in the team file', () => {
  it('reads the cluster, its settings, and a defaultTarget naming it', () => {
    const team = parseTeamFile(`// the lead's file\n${JSON.stringify(TEAM)}`, 'team.json');
    expect(team.hosts).toEqual([CLUSTER]);
    expect(team.defaultTarget).toBe('hpc');
  });

  it('treats "kind": "ssh" as an SSH host (the default)', () => {
    const team = parseTeamFile(JSON.stringify({ hosts: [{ id: 'box', kind: 'ssh', address: 'box.example.com', fingerprints: [FP] }] }), 'team.json');
    expect(team.hosts).toEqual([{ id: 'box', address: 'box.example.com', fingerprints: [FP] }]);
  });

  const withCluster = (change: Record<string, unknown>) => ({ ...TEAM, hosts: [{ ...CLUSTER, ...change }] });
  const withSettings = (change: Record<string, unknown>) => withCluster({ slurm: { ...CLUSTER.slurm, ...change } });

  it.each([
    [withCluster({ kind: 'pbs' }), 'hosts[0].kind', 'is not valid: "pbs"', '"ssh" (the default) or "slurm"'],
    [withCluster({ dockerSocket: '/var/run/docker.sock' }), 'hosts[0].dockerSocket', 'is for SSH hosts', 'Remove it'],
    [withCluster({ kind: undefined }), 'hosts[0].slurm', 'is for Slurm clusters only', 'Add "kind": "slurm"'],
    [withCluster({ fingerprints: [] }), 'hosts[0].fingerprints', 'must list the host\'s key fingerprints', 'ssh-keygen -lf'],
    [withCluster({ address: 'login node' }), 'hosts[0].address', 'is not valid', 'gpu-box.example.com'],
    [withSettings({ partition: 'gpu;rm' }), 'hosts[0].slurm.partition', 'is not valid', 'sinfo'],
    [withSettings({ account: '' }), 'hosts[0].slurm.account', 'is not valid', 'sacctmgr'],
    [withSettings({ qos: 7 }), 'hosts[0].slurm.qos', 'is not valid: 7', 'sinfo'],
    [withSettings({ sharedDir: '/shared/../etc' }), 'hosts[0].slurm.sharedDir', 'is not valid', '{user}'],
    [withSettings({ sharedDir: '~/benchtop' }), 'hosts[0].slurm.sharedDir', 'is not valid', 'under the home folder'],
    [withSettings({ sharedDir: '/shared/{name}' }), 'hosts[0].slurm.sharedDir', 'is not valid', '{user}'],
    [withSettings({ runtime: 'singularity' }), 'hosts[0].slurm.runtime', 'is not valid', '"podman" or "docker"'],
    [withSettings({ gpuDevicePattern: 'nvidia{index}' }), 'hosts[0].slurm.gpuDevicePattern', 'is not valid', '/dev/nvidia{index}'],
    [withSettings({ reservation: 'x' }), 'hosts[0].slurm.reservation', 'is not a team file setting', 'Check the spelling'],
    [{ ...TEAM, defaultTarget: 'hpc2' }, 'defaultTarget', 'must be "local" or the id of a host listed here', 'local, hpc'],
  ])('refuses %j: "%s" %s', (team, key, problem, hint) => {
    const error = parseError(team);
    expect(error.code).toBe('TEAM_FILE_INVALID');
    expect(error.message).toMatch(/^team\.json:\d+: /);
    expect(error.message).toContain(`"${key}" ${problem}`);
    expect(error.hint).toContain(hint);
  });

  it('names the line of the wrong key', () => {
    const error = parseError(withCluster({ dockerSocket: '/var/run/docker.sock' }));
    const text = JSON.stringify(withCluster({ dockerSocket: '/var/run/docker.sock' }), null, 2).split('\n');
    expect(error.message).toMatch(new RegExp(`^team\\.json:${text.findIndex((l) => l.includes('"dockerSocket"')) + 1}: `));
  });
});

describe('joining a team cluster', () => {
  const team = parseTeamFile(JSON.stringify(TEAM), 'team.json');
  const [cluster] = team.hosts;

  it('logs in as the address\'s user, else whatever ssh says (undefined here)', () => {
    expect(clusterLoginName(cluster)).toBeUndefined();
    expect(clusterLoginName({ ...cluster, address: 'svc@login.hpc.example.com' })).toBe('svc');
    expect(loginNodeOf('svc@login.hpc.example.com:2222')).toEqual({ alias: 'login.hpc.example.com', port: 2222 });
    expect(loginNodeOf('[fd00::1]:22')).toEqual({ alias: 'fd00::1', port: 22 });
    expect(loginNodeOf('login')).toEqual({ alias: 'login' });
  });

  it('adds it as a slurm host with its settings over the team defaults and {user} filled in', () => {
    expect(teamHostAddRequest(cluster, team, 'btalice')).toEqual({
      spec: 'slurm://btalice@login.hpc.example.com:2222',
      slurm: { partition: 'gpu', account: 'team', qos: 'gpu-user', sharedDir: '/shared/btalice/benchtop', runtime: 'podman', gpuDevicePattern: '/dev/nvidia{index}' },
    });
  });

  it('knows the joined cluster again, whoever logs in, and makes it the default target by its local id', () => {
    expect(isTeamHost('slurm://btalice@login.hpc.example.com:2222', cluster)).toBe(true);
    expect(isTeamHost('btalice@login.hpc.example.com:2222', cluster)).toBe(false);
    expect(isTeamHost('slurm://btalice@login.hpc.example.com', cluster)).toBe(false);
    expect(effectiveDefaultTarget('local', team, [{ id: 'login.hpc.example.com-2222', spec: 'slurm://btalice@login.hpc.example.com:2222' }])).toBe('login.hpc.example.com-2222');
  });

  it('shows it as a Slurm cluster in the join link\'s plan', () => {
    const plan = joinPlan('p1', { action: 'join', team: 'https://team.example.com/team.json' }, team);
    expect(plan.hosts).toEqual([{ id: 'hpc', kind: 'slurm', address: 'login.hpc.example.com:2222', fingerprints: [FP] }]);
    expect(plan.steps).toContain(`Add Slurm cluster hpc (login node login.hpc.example.com:2222, as you), trusting only key ${FP}`);
  });
});
