import type { ClustersInvoke } from '../../../shared/contract/clusters';
import type { Core } from '../core';
import { BenchtopError } from '../errors';
import { startRoute } from '../slurm/start-route';
import { ClusterFollower } from './slurm-follow';
import type { HandlersFor } from './types';

/** The longest --time the app asks for (a week); the cluster's partition limit usually says less. */
const MAX_TIME_MINUTES = 7 * 24 * 60;

function needCluster(core: Core, target: unknown): string {
  if (typeof target !== 'string' || !target) throw new BenchtopError('INVALID_ARGUMENT', 'Which cluster? The call needs its host id.', 'Pass a cluster id from the Hosts page.');
  if (!core.slurm.isCluster(target)) {
    throw new BenchtopError('HOST_INVALID', `${target} is not a Slurm cluster of this install.`, 'Add it on the Hosts page (Add a Slurm cluster) or with `benchtop host add slurm://user@login-node`.');
  }
  return target;
}

function needId(id: unknown): string {
  if (typeof id !== 'string' || !id) throw new BenchtopError('INVALID_ARGUMENT', 'Which session? The call needs its JOB@CLUSTER id.', 'Pass the id the Sessions page shows.');
  return id;
}

function optionalCount(value: unknown, what: string, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new BenchtopError('INVALID_ARGUMENT', `${what} must be a whole number from 0 to ${max} (got ${String(value)}).`, `Choose ${what.toLowerCase()} again.`);
  }
  return value;
}

export function slurmHandlers(core: Core): HandlersFor<ClustersInvoke> {
  const follower = new ClusterFollower(core);
  return {
    clusterList: () => core.slurm.clusterIds(),
    clusterCheck: ({ hostId }) => core.slurm.check(needCluster(core, hostId)),
    clusterSessionUp: (req) => {
      const target = needCluster(core, req.target);
      if (typeof req.dir !== 'string' || !req.dir) throw new BenchtopError('INVALID_ARGUMENT', 'Starting on a cluster needs the project folder.', 'Open a project first.');
      const gpus = optionalCount(req.gpus, 'GPUs', 64);
      const timeMinutes = optionalCount(req.timeMinutes, 'The time limit in minutes', MAX_TIME_MINUTES);
      if (timeMinutes === 0) throw new BenchtopError('INVALID_ARGUMENT', 'A session needs a time limit of at least a minute.', 'Choose a longer time limit.');
      return core.ops.run(req.opId, async (op) => {
        const info = await core.slurm.up({
          dir: req.dir, target, gpus, timeMinutes, noWait: true, signal: op.signal,
          onStep: (words) => op.step('start', words),
        });
        follower.follow(info);
        return info;
      });
    },
    clusterSessionList: async (req) => {
      const target = req?.target === undefined ? undefined : needCluster(core, req.target);
      const sessions = await core.slurm.list(target);
      // Your running jobs: is the notebook answering yet? (A probe that fails leaves the session as it was.)
      const probed = await Promise.all(sessions.map((s) => follower.probe(s).catch((error: unknown) => {
        core.log.child('slurm').ignored(`probing the notebook of ${s.id}`, error);
        return s;
      })));
      // Sessions found here (after a restart of the app) are followed like the ones started here.
      probed.forEach((s) => follower.follow(s));
      return probed;
    },
    clusterSessionOpen: async ({ id }) => {
      const info = await follower.probe(await core.slurm.get(needId(id)));
      if (!info.mine) throw new BenchtopError('NOT_OWNER', `Session ${info.id} is ${info.owner?.name ?? 'someone else'}'s; you cannot open it.`, 'Only the install that started a session may open it.');
      if (info.state !== 'ready' || !info.url) {
        throw new BenchtopError('JUPYTER_NOT_READY', `Session ${info.id} is ${info.state === 'pending' ? `waiting in the queue (${info.message ?? info.reasonCode ?? ''})` : info.message ?? info.state}; its notebook does not answer yet.`,
          'Wait until the card says ready; the app tells you when it starts.');
      }
      await core.desktop.openNotebook(info.id, info.url);
      return info;
    },
    clusterSessionCancel: ({ id }) => core.slurm.stop(needId(id)),
    clusterSessionExtend: ({ id, timeMinutes }) => {
      const minutes = optionalCount(timeMinutes, 'The new time limit in minutes', MAX_TIME_MINUTES);
      if (!minutes) throw new BenchtopError('INVALID_ARGUMENT', 'Extending needs the new time limit in minutes.', 'Choose how long the session may run in all.');
      return core.slurm.extend(needId(id), minutes);
    },
    clusterGpuJobs: ({ target }) => core.slurm.gpuJobs(needCluster(core, target)),
    clusterSessionSync: async (req) => {
      const target = needCluster(core, req.target);
      if (typeof req.dir !== 'string' || !req.dir) throw new BenchtopError('INVALID_ARGUMENT', 'Syncing a cluster session needs the project folder.', 'Open the project first.');
      if (typeof req.opId !== 'string' || !req.opId) throw new BenchtopError('INVALID_ARGUMENT', 'Syncing needs an operation id.', 'Pass a new opId.');
      // The cluster's folder is the notebooks' place there (core.sync's folders): the same guards as a volume's sync.
      const { volume: _volume, ...result } = await core.ops.run(req.opId, (op) => core.sync.sync(op, { projectDir: req.dir, target, confirmDeletes: req.confirmDeletes === true }));
      return result;
    },
    clusterDefaultTarget: async ({ dir }) => {
      if (typeof dir !== 'string' || !dir) throw new BenchtopError('INVALID_ARGUMENT', 'Which project? The call needs its folder.', 'Open a project first.');
      const route = await startRoute({ isCluster: (t) => core.slurm.isCluster(t), defaultTarget: (d) => core.team.defaultTarget(d) }, dir);
      return route.kind === 'cluster' ? route.target : null;
    },
  };
}
