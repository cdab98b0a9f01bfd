import { useEffect, useState } from 'react';
import type { SessionInfo } from '../../../shared/ipc';
import { api } from '../api';
import { useApp } from '../app-context';
import { ErrorPanel } from '../components/ErrorPanel';
import { Empty, Screen } from '../components/Screen';
import { useAction, useCall } from '../hooks/useCall';
import { useEvent } from '../hooks/useEvent';
import { useNow } from '../hooks/useNow';
import { newOpId } from '../lib/opid';
import { LogsPanel } from './sessions/LogsPanel';
import { MoveDialog } from './sessions/MoveDialog';
import { SessionCard } from './sessions/SessionCard';
import { TeammateSessionCard } from './sessions/TeammateSessionCard';
import { useSessionStats } from './sessions/useSessionStats';

/** Every session on every target, kept current by the engine's state events. */
export function SessionsScreen() {
  const { navigate } = useApp();
  const list = useCall(() => api.sessionList(), 'sessions');
  const [changed, setChanged] = useState<Record<string, SessionInfo>>({});
  const [logsOf, setLogsOf] = useState<SessionInfo | null>(null);
  const [moving, setMoving] = useState<SessionInfo | null>(null);
  const action = useAction();
  const now = useNow(1000);

  // Sessions removed from here: their last state event ("stopped") must not bring them back.
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());

  // State events carry the whole session: newer than the list, so they win until the next reload.
  useEvent('sessionState', (info) => setChanged((c) => ({ ...c, [info.id]: info })));
  useEffect(() => setChanged({}), [list.data]);

  const sessions = mergeSessions(list.data ?? [], changed).filter((s) => !removed.has(s.id));
  // Usage is watched for this install's own sessions only (a teammate's answer NOT_OWNER).
  const stats = useSessionStats(sessions.filter((s) => s.mine && s.state === 'ready').map((s) => s.id));

  const act = async (label: string, work: () => Promise<SessionInfo | unknown>) => {
    const result = await action.run(label, work);
    if (result && typeof result === 'object' && 'id' in result) {
      const info = result as SessionInfo;
      setChanged((c) => ({ ...c, [info.id]: info }));
    }
    list.reload();
  };

  return (
    <Screen
      title="Sessions"
      subtitle="Jupyter sessions on this computer and on shared hosts."
      actions={
        <button type="button" className="btn" onClick={list.reload} disabled={list.loading}>
          Refresh
        </button>
      }
    >
      {list.error && <ErrorPanel error={list.error} onRetry={list.reload} />}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {!list.error && list.data && sessions.length === 0 && (
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
              busy={action.busy !== null}
              onOpen={() => void act(`open ${s.id}`, () => api.sessionOpen({ id: s.id, where: 'app' }))}
              onStop={() => void act(`stop ${s.id}`, () => api.sessionStop({ id: s.id }))}
              onRestart={() => void act(`restart ${s.id}`, () => api.sessionRestart({ opId: newOpId('restart'), id: s.id }))}
              onRemove={() =>
                void act(`remove ${s.id}`, async () => {
                  const done = await api.sessionRemove({ id: s.id });
                  setRemoved((r) => new Set(r).add(s.id));
                  return done;
                })
              }
              onLogs={() => setLogsOf(s)}
              onMove={() => setMoving(s)}
            />
          ))}
        </ul>
      )}
      {logsOf && <LogsPanel session={logsOf} onClose={() => setLogsOf(null)} />}
      <MoveDialog
        session={moving}
        onClose={() => setMoving(null)}
        onMoved={(info) => {
          setChanged((c) => ({ ...c, [info.id]: info }));
          list.reload();
        }}
      />
    </Screen>
  );
}

function mergeSessions(list: readonly SessionInfo[], changed: Record<string, SessionInfo>): SessionInfo[] {
  const byId = new Map(list.map((s) => [s.id, s]));
  for (const info of Object.values(changed)) byId.set(info.id, info);
  return [...byId.values()].sort((a, b) => a.projectName.localeCompare(b.projectName) || a.target.localeCompare(b.target));
}
