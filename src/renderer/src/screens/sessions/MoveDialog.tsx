import { useEffect, useState } from 'react';
import type { SessionInfo, SyncProgress } from '../../../../shared/ipc';
import { api } from '../../api';
import { useApp } from '../../app-context';
import { Dialog } from '../../components/Dialog';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ProgressBar } from '../../components/ProgressBar';
import { TargetSelect } from '../../components/TargetSelect';
import { useAction } from '../../hooks/useCall';
import { useHostList } from '../../hooks/useShared';
import { useFollow } from '../../hooks/useFollow';
import { newOpId } from '../../lib/opid';
import { syncProgressText } from '../../lib/progress';
import { versionLabel } from '../../lib/pin-drift';
import { operationText } from '../../lib/start-flow';

interface Props {
  session: SessionInfo | null;
  onClose(): void;
  onMoved(info: SessionInfo): void;
}

/** Moves a session to another target: notebooks travel with it, the image digest stays the same. */
export function MoveDialog({ session, onClose, onMoved }: Props) {
  const { navigate, project } = useApp();
  const hosts = useHostList(session !== null);
  const [target, setTarget] = useState('');
  const [opId, setOpId] = useState<string | null>(null);
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [step, setStep] = useState('');
  const action = useAction();
  const { clear } = action;

  useEffect(() => {
    setTarget('');
    setProgress(null);
    setStep('');
    clear();
  }, [session, clear]);

  // The move and its parts (`<opId>:<step>`: each sync of a move reports under its step).
  const followMove = useFollow({
    syncProgress: (p) => setProgress(p),
    operationStep: (s) => setStep(operationText(s.step, s.detail)),
  });

  // A Slurm cluster runs sessions as jobs, started from Welcome; moving a container there is not offered.
  const targets = ['local', ...(hosts.data ?? []).filter((h) => h.kind !== 'slurm').map((h) => h.id)].filter((t) => t !== session?.target);

  const move = async () => {
    if (!session || !target) return;
    const id = newOpId('move');
    followMove(id);
    setOpId(id);
    const info = await action.run('move', () => api.sessionMove({ opId: id, sessionId: session.id, target }));
    followMove(null);
    setOpId(null);
    if (info) {
      onMoved(info);
      onClose();
    }
  };

  const text = progress ? syncProgressText(progress) : null;
  return (
    <Dialog title={session ? `Move ${session.projectName}` : 'Move'} open={session !== null} onClose={onClose}>
      <p className="muted">
        {/* A move starts the target's session from the project's pin, which may differ from what runs now. */}
        The notebooks are synced to the new target and Jupyter reopens there on the project&apos;s pinned version
        {project?.pinned && project.dir === session?.projectDir ? ` (${versionLabel(project.pinned.version, project.pinned.digest)})` : ''}.
      </p>
      {hosts.error && <ErrorPanel error={hosts.error} onRetry={hosts.reload} />}
      {hosts.data && targets.length === 0 ? (
        <div className="banner info" role="status">
          <p>There is nowhere to move this session yet: a move needs a shared host, and none is added.</p>
          <button
            type="button"
            className="btn primary"
            onClick={() => {
              onClose();
              navigate('hosts');
            }}
          >
            Add a host
          </button>
        </div>
      ) : (
      <TargetSelect
        label="Move to"
        targets={targets}
        value={target}
        onChange={setTarget}
        placeholder="Choose a target…"
        disabled={action.busy !== null}
      />
      )}
      <div className="reserved">
        {(action.busy || progress) && (
          <>
            <ProgressBar value={text ? text.value : null} label="Sync progress" />
            <p className="muted" role="status">
              {step || 'Preparing…'}
            </p>
            <p className="num muted">{text ? `${progress?.phase} · ${text.parts} · ${text.amount}` : '\u00a0'}</p>
          </>
        )}
      </div>
      {action.error && <ErrorPanel error={action.error} />}
      <div className="dialog-actions">
        <button type="button" className="btn ghost" onClick={onClose}>
          {action.busy ? 'Close' : 'Cancel'}
        </button>
        {action.busy && opId && (
          <button type="button" className="btn" onClick={() => void api.operationCancel({ opId })}>
            Cancel move
          </button>
        )}
        <button type="button" className="btn primary" onClick={() => void move()} disabled={!target || action.busy !== null}>
          Move
        </button>
      </div>
    </Dialog>
  );
}
