import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { HostAddResult, HostInfo } from '../../../shared/ipc';
import { api } from '../api';
import { useConfirm } from '../components/ConfirmDialog';
import { ErrorPanel } from '../components/ErrorPanel';
import { Empty, Screen } from '../components/Screen';
import { useAction } from '../hooks/useCall';
import { useHostList } from '../hooks/useShared';
import { useDraft } from '../hooks/useDraft';
import { AddClusterForm } from './hosts/AddClusterForm';
import { CloudSection } from './hosts/cloud/CloudSection';
import { ClusterGpuBoard } from './hosts/ClusterGpuBoard';
import { GpuBoard, GpuNoticeBanner } from './hosts/GpuBoard';
import { HostCard } from './hosts/HostCard';
import { TrustDialog } from './hosts/TrustDialog';

type Trust = Extract<HostAddResult, { status: 'needs-trust' }>;

/** Shared GPU hosts reached over SSH: add (confirming the host key), test, remove. */
export function HostsScreen() {
  const hosts = useHostList();
  // What was typed stays when the user leaves the screen (to look up a key path) and comes back.
  const [spec, setSpec] = useDraft('hosts.spec');
  const [identityFile, setIdentityFile] = useDraft('hosts.identityFile');
  const [dockerSocket, setDockerSocket] = useDraft('hosts.dockerSocket');
  const [trust, setTrust] = useState<Trust | null>(null);
  // A host whose first connection failed after its key was trusted: stored, shown, and fixable here.
  const [failed, setFailed] = useState<string | null>(null);
  const specInput = useRef<HTMLInputElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const hostList = useRef<HTMLUListElement>(null);
  const [tested, setTested] = useState<Record<string, HostInfo>>({});
  const action = useAction();
  const confirm = useConfirm();

  const add = async (event: FormEvent) => {
    event.preventDefault();
    // Busy is aria-disabled, not disabled: the button keeps focus, so closing the trust dialog returns there.
    if (action.busy !== null) return;
    const request = {
      spec: spec.trim(),
      identityFile: identityFile.trim() || undefined,
      dockerSocket: dockerSocket.trim() || undefined,
    };
    const result = await action.run('add', () => api.hostAdd(request));
    if (!result) return;
    if (result.status === 'needs-trust') setTrust(result);
    else added();
  };

  const added = () => {
    setFailed(null);
    setSpec('');
    setIdentityFile('');
    setDockerSocket('');
    setTrust(null);
    // Focus goes to the result, the list with the new host, once it is listed.
    setFocusAfterReload({ listed: hosts.data });
    hosts.reload();
  };

  const test = async (id: string) => {
    const info = await action.run(`test ${id}`, () => api.hostTest({ hostId: id }));
    if (info) setTested((t) => ({ ...t, [id]: info }));
  };

  const remove = async (host: HostInfo) => {
    const id = host.id;
    const yes = await confirm.ask({
      title: `Remove host ${id}?`,
      lost: [
        host.sessions > 0 ? `Benchtop's record of its ${host.sessions} session(s) there` : 'Its saved address, key file and trusted host key',
        'Nothing on the host itself: add it again to use it',
      ],
      confirmLabel: 'Remove host',
    });
    if (!yes) return;
    if (await action.run(`remove ${id}`, () => api.hostRemove({ hostId: id }))) {
      // Its card (and the Remove button that had focus) goes: focus lands on what is left, once listed.
      setFocusAfterReload({ listed: hosts.data });
      hosts.reload();
    }
  };

  // Set at an add or a removal to the list shown then; focus moves once a newer list has arrived.
  const [focusAfterReload, setFocusAfterReload] = useState<{ listed: unknown } | null>(null);
  useEffect(() => {
    if (!focusAfterReload || hosts.data === focusAfterReload.listed) return;
    setFocusAfterReload(null);
    if ((hosts.data ?? []).length > 0) hostList.current?.focus();
    else specInput.current?.focus();
  }, [focusAfterReload, hosts.data]);

  // Edit: the form still holds what was typed; the stored attempt goes so that adding again is a fresh add.
  const editFailed = async (id: string) => {
    if (!(await action.run(`remove ${id}`, () => api.hostRemove({ hostId: id })))) return;
    setFailed(null);
    hosts.reload();
    specInput.current?.focus();
  };

  const list = (hosts.data ?? []).map((h) => tested[h.id] ?? h);
  return (
    <Screen title="Hosts" subtitle="Shared GPU machines and Slurm clusters reached over SSH.">
      <form className="card add-host" onSubmit={(e) => void add(e)} aria-label="Add a host">
        <label className="field grow">
          <span>SSH host</span>
          <input
            ref={specInput}
            value={spec}
            onChange={(e) => setSpec(e.target.value)}
            placeholder="analyst@gpu-box.example.com:22"
            autoComplete="off"
            spellCheck={false}
            required
          />
        </label>
        <label className="field">
          <span>Identity file (optional)</span>
          <input value={identityFile} onChange={(e) => setIdentityFile(e.target.value)} placeholder="~/.ssh/id_ed25519" spellCheck={false} />
        </label>
        <label className="field">
          <span>Engine socket (optional)</span>
          <input value={dockerSocket} onChange={(e) => setDockerSocket(e.target.value)} placeholder="/var/run/docker.sock" spellCheck={false} />
        </label>
        <button ref={addButton} type="submit" className="btn primary" disabled={!spec.trim()} aria-disabled={action.busy !== null || undefined}>
          {action.busy === 'add' ? 'Connecting…' : 'Add host'}
        </button>
      </form>
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      <GpuNoticeBanner />
      {failed && !trust && (
        <div className="banner warn" role="status" aria-label={`Host ${failed} needs attention`}>
          <p>
            {failed} is saved but Benchtop could not sign in to it. Check the identity file and the engine socket in the form,
            then add it again; or test it again once the host is fixed.
          </p>
          <div className="row">
            <button type="button" className="btn primary" onClick={() => void editFailed(failed)} disabled={action.busy !== null}>
              Edit and add again
            </button>
            <button type="button" className="btn" onClick={() => void test(failed)} disabled={action.busy !== null}>
              Retry
            </button>
          </div>
        </div>
      )}
      {hosts.error && <ErrorPanel error={hosts.error} onRetry={hosts.reload} />}
      {hosts.data && list.length === 0 && <Empty title="No hosts yet. Add a shared GPU machine above." />}
      <ul ref={hostList} className="host-list" aria-label="Hosts" tabIndex={-1}>
        {list.map((h) => (
          <HostCard key={h.id} host={h} busy={action.busy} onTest={() => void test(h.id)} onRemove={() => void remove(h)} />
        ))}
      </ul>
      {list.filter((h) => h.gpus.length > 0).map((h) => (
        <GpuBoard key={`gpus ${h.id}`} hostId={h.id} />
      ))}
      {list.filter((h) => h.kind === 'slurm' && h.status === 'ok').map((h) => (
        <ClusterGpuBoard key={`cluster-gpus ${h.id}`} hostId={h.id} />
      ))}
      <AddClusterForm onAdded={hosts.reload} />
      <CloudSection onHostsChanged={hosts.reload} />
      {confirm.dialog}
      <TrustDialog
        request={trust}
        onClose={() => {
          setTrust(null);
          // Cancel or Escape: back to the button that asked (after the dialog's own focus restore).
          requestAnimationFrame(() => addButton.current?.focus());
        }}
        onTrusted={added}
        onFailed={(id) => {
          setFailed(id);
          hosts.reload();
        }}
      />
    </Screen>
  );
}
