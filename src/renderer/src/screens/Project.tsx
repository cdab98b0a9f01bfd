import type { LockfileStatus } from '../../../shared/ipc';
import { api } from '../api';
import { useApp } from '../app-context';
import { ErrorPanel } from '../components/ErrorPanel';
import { HashText } from '../components/HashText';
import { Screen } from '../components/Screen';
import { StatusBadge, type Tone } from '../components/StatusBadge';
import { useCall } from '../hooks/useCall';
import { formatBytes } from '../lib/format';
import { DriftPanel } from './project/DriftPanel';
import { RecentlyRemoved } from './project/RecentlyRemoved';
import { NeedsProject } from './NeedsProject';

const LOCK_TONE: Record<LockfileStatus['state'], Tone> = { match: 'ok', differs: 'bad', missing: 'warn', unknown: 'muted' };

/** The open project as Benchtop reads it: pinned image, lockfile state, drift, requirements. */
export function ProjectScreen() {
  const { project, openProject } = useApp();
  const lock = useCall(project ? () => api.projectLockfileStatus({ dir: project.dir }) : null, `lock:${project?.dir}`);
  if (!project) {
    return (
      <Screen title="Project">
        <NeedsProject what="image, lockfile and notebooks" />
      </Screen>
    );
  }
  const req = project.hostRequirements;
  return (
    <Screen
      title="Project"
      subtitle={<span className="mono">{project.dir}</span>}
      actions={
        <button type="button" className="btn" onClick={() => void openProject(project.dir).then(lock.reload)}>
          Reload
        </button>
      }
    >
      <div className="grid-2">
        <section className="card" aria-labelledby="pinned-image">
          <h2 id="pinned-image">Pinned image</h2>
          <dl className="facts">
            <dt>Repository</dt>
            <dd className="mono">{project.pinned?.repository ?? project.image}</dd>
            <dt>Version</dt>
            <dd>{project.pinned?.version ?? '—'}</dd>
            <dt>Digest</dt>
            <dd>
              {project.pinned ? <HashText value={project.pinned.digest} what="digest" /> : <StatusBadge tone="warn">not pinned</StatusBadge>}
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="lockfile-state">
          <h2 id="lockfile-state">Lockfile</h2>
          <p className="mono muted">{project.lockfilePath}</p>
          {lock.error && <ErrorPanel error={lock.error} onRetry={lock.reload} />}
          {lock.loading && !lock.data && <p className="muted">Comparing with the image…</p>}
          {lock.data && (
            <div className="lock-state">
              <StatusBadge tone={LOCK_TONE[lock.data.state]} label={`Lockfile ${lock.data.state}`}>
                {lock.data.state}
              </StatusBadge>
              <p>{lock.data.message}</p>
              {lock.data.hint && <p className="hint">{lock.data.hint}</p>}
            </div>
          )}
        </section>
        <section className="card" aria-labelledby="project-folders">
          <h2 id="project-folders">Notebooks and settings</h2>
          <dl className="facts">
            <dt>Notebooks folder</dt>
            <dd className="mono">{project.notebooksDir}</dd>
            <dt>Idle stop</dt>
            <dd>{project.idleMinutes > 0 ? `after ${project.idleMinutes} min without activity` : 'off'}</dd>
            <dt>Jupyter</dt>
            <dd className="mono">{project.jupyter.args.join(' ') || 'default arguments'}</dd>
            <dt>Definition</dt>
            <dd className="mono">{project.devcontainerPath}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="project-requirements">
          <h2 id="project-requirements">Requirements</h2>
          <dl className="facts">
            <dt>CPUs</dt>
            <dd>{req.cpus ?? 'any'}</dd>
            <dt>Memory</dt>
            <dd>{req.memoryBytes ? formatBytes(req.memoryBytes) : (req.memory ?? 'any')}</dd>
            <dt>Storage</dt>
            <dd>{req.storageBytes ? formatBytes(req.storageBytes) : (req.storage ?? 'any')}</dd>
            <dt>GPU</dt>
            <dd>{req.gpu === true ? 'required' : req.gpu === 'optional' ? 'optional' : 'not needed'}</dd>
          </dl>
        </section>
      </div>
      <DriftPanel projectDir={project.dir} />
      <RecentlyRemoved projectDir={project.dir} />
    </Screen>
  );
}
