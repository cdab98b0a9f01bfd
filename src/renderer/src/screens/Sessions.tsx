import { useEffect, useState } from 'react';
import type { SessionInfo } from '../../../shared/ipc';
import { api } from '../api';
import { useApp } from '../app-context';
import { useConfirm } from '../components/ConfirmDialog';
import { ErrorPanel } from '../components/ErrorPanel';
import { Empty, Screen } from '../components/Screen';
import { useAction } from '../hooks/useCall';
import { useInvalidate, useSessionList } from '../hooks/useShared';
import { useEvent } from '../hooks/useEvent';
import { useNow } from '../hooks/useNow';
import { useReturnFocus } from '../hooks/useReturnFocus';
import { newOpId } from '../lib/opid';
import { queryKeys } from '../lib/queries';
import { driftsFromPin, versionLabel } from '../lib/pin-drift';
import { ClusterSessions } from './sessions/ClusterSessions';
import { LogsPanel } from './sessions/LogsPanel';
import { MoveDialog } from './sessions/MoveDialog';
import { SessionCard } from './sessions/SessionCard';
import { TeammateSessionCard } from './sessions/TeammateSessionCard';
import { useCloudCosts } from './sessions/useCloudCosts';
import { useSessionStats } from './sessions/useSessionStats';

/** Every session on every target, kept current by the engine's state events. */
export function SessionsScreen() {
  const { navigate, project, startFlow } = useApp();
  const list = useSessionList();
  const invalidate = useInvalidate();
  const [changed, setChanged] = useState<Record<string, SessionInfo>>({});
  const [logsOf, setLogsOf] = useState<SessionInfo | null>(null);
  const [moving, setMoving] = useState<SessionInfo | null>(null);
  const action = useAction();
  const confirm = useConfirm();
  const logsOpener = useReturnFocus();
  const now = useNow(1000);

  // How many cluster sessions the section below shows: with some, the screen is not empty.
  const [clusterShown, setClusterShown] = useState(0);
  // Sessions removed from here: their last state event ("stopped") must not bring them back.
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());

  // State events carry the whole session: newer than the list, so they win until the next reload.
  useEvent('sessionState', (info) => setChanged((c) => ({ ...c, [info.id]: info })));
  useEffect(() => setChanged({}), [list.data]);

  const sessions = mergeSessions(list.data ?? [], changed).filter((s) => !removed.has(s.id));

  // After a move: the moved session's card, once the dialog has closed and the card is listed.
  const [focusMoved, setFocusMoved] = useState<string | null>(null);
  useEffect(() => {
    if (!focusMoved || moving || !focusFirstButton(focusMoved)) return;
    setFocusMoved(null);
  }, [focusMoved, moving, list.data, changed]);
  // Usage is watched for this install's own sessions only (a teammate's answer NOT_OWNER).
  const stats = useSessionStats(sessions.filter((s) => s.mine && s.state === 'ready').map((s) => s.id));
  // The running cost of sessions on this install's cloud VMs (other targets need no cloud call).
  const cloud = useCloudCosts(sessions.filter((s) => s.mine).map((s) => s.target));

  const act = async (label: string, work: () => Promise<SessionInfo | unknown>) => {
    const result = await action.run(label, work);
    if (result && typeof result === 'object' && 'id' in result) {
      const info = result as SessionInfo;
      setChanged((c) => ({ ...c, [info.id]: info }));
    }
    list.reload();
    // A host's card counts its sessions: asked again when next shown.
    invalidate(queryKeys.hostList);
  };

  return (
    <Screen
      title="Sessions"
      subtitle="Jupyter sessions on this computer, on shared hosts and on Slurm clusters."
      actions={
        <button type="button" className="btn" onClick={list.reload} disabled={list.loading}>
          Refresh
        </button>
      }
    >
      {list.error && <ErrorPanel error={list.error} onRetry={list.reload} />}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {!list.error && list.data && sessions.length === 0 && clusterShown === 0 && (
        <Empty title="No sessions yet">
          <button type="button" className="btn primary" onClick={() => navigate('welcome')}>
            Start a session
          </button>
        </Empty>
      )}
      {sessions.length > 0 && (
        <ul className="session-list" aria-label="Sessions">
          {sessions.map((s) => !s.mine ? (
            <TeammateSessionCard key={s.id} session={s} now={now} />
          ) : (
            <SessionCard
              key={s.id}
              session={s}
              now={now}
              samples={stats[s.id] ?? []}
              cloud={cloud.byHost.has(s.target) ? { vm: cloud.byHost.get(s.target) } : cloud.error && s.target !== 'local' ? { error: cloud.error } : undefined}
              // Only the card whose action runs is busy; the others stay usable.
              busy={action.busy !== null && action.busy.endsWith(` ${s.id}`)}
              pinnedVersion={
                project?.pinned && driftsFromPin(s, project.dir, project.pinned) ? versionLabel(project.pinned.version, project.pinned.digest) : undefined
              }
              onRestartOnPin={
                s.target === 'local' && project
                  ? () =>
                      void act(`restart-on-pin ${s.id}`, async () => {
                        // Stop the old one, then the ordinary start (pull, start, open) on the pin, shown on Welcome.
                        const stopped = await api.sessionStop({ id: s.id });
                        navigate('welcome');
                        void startFlow.start(project.dir, 'check');
                        return stopped;
                      })
                  : undefined
              }
              onOpen={() => void act(`open ${s.id}`, () => api.sessionOpen({ id: s.id, where: 'app' }))}
              onStop={() =>
                void confirm
                  .ask({
                    title: `Stop ${s.projectName} on ${s.target}?`,
                    lost: ['Running kernels and the variables in them', 'Output of cells still running'],
                    confirmLabel: 'Stop session',
                  })
                  .then((yes) => (yes ? act(`stop ${s.id}`, () => api.sessionStop({ id: s.id })) : undefined))
              }
              onRestart={() => void act(`restart ${s.id}`, () => api.sessionRestart({ opId: newOpId('restart'), id: s.id }))}
              onRemove={() =>
                void confirm
                  .ask({
                    title: `Remove ${s.projectName} on ${s.target}?`,
                    lost: [
                      'The session container and its logs',
                      s.target === 'local' ? 'Nothing in the project folder: notebooks stay' : `Changes on ${s.target} not yet synced back`,
                    ],
                    confirmLabel: 'Remove session',
                  })
                  .then((yes) =>
                    yes
                      ? act(`remove ${s.id}`, async () => {
                          const done = await api.sessionRemove({ id: s.id });
                          setRemoved((r) => new Set(r).add(s.id));
                          return done;
                        })
                      : undefined,
                  )
              }
              onLogs={() => {
                logsOpener.remember();
                setLogsOf(s);
              }}
              onMove={() => setMoving(s)}
            />
          ))}
        </ul>
      )}
      <ClusterSessions now={now} onShown={setClusterShown} />
      {logsOf && (
        <LogsPanel
          session={logsOf}
          onClose={() => {
            setLogsOf(null);
            // Back to the Logs button that opened it.
            logsOpener.restore(document.getElementById('content'));
          }}
        />
      )}
      {confirm.dialog}
      <MoveDialog
        session={moving}
        onClose={() => setMoving(null)}
        onMoved={(info) => {
          setChanged((c) => ({ ...c, [info.id]: info }));
          list.reload();
          // Focus goes to the result: the session where it runs now (after the dialog gives focus back).
          setFocusMoved(`${info.projectName} on ${info.target}`);
        }}
      />
    </Screen>
  );
}

/** Focuses the first usable button of a session card (Open when it is ready). */
function focusFirstButton(cardName: string): boolean {
  const card = Array.from(document.querySelectorAll<HTMLElement>('li.session-card')).find((li) => li.getAttribute('aria-label') === cardName);
  const button = card?.querySelector<HTMLButtonElement>('button:not([disabled])');
  button?.focus();
  return button !== undefined && button !== null;
}

function mergeSessions(list: readonly SessionInfo[], changed: Record<string, SessionInfo>): SessionInfo[] {
  const byId = new Map(list.map((s) => [s.id, s]));
  for (const info of Object.values(changed)) byId.set(info.id, info);
  return [...byId.values()].sort((a, b) => a.projectName.localeCompare(b.projectName) || a.target.localeCompare(b.target));
}
