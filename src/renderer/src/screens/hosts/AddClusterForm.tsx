import { useRef, useState, type FormEvent } from 'react';
import type { HostAddResult, SlurmHostOptions } from '../../../../shared/ipc';
import { api } from '../../api';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useAction } from '../../hooks/useCall';
import { useDraft } from '../../hooks/useDraft';
import { TrustDialog } from './TrustDialog';

type Trust = Extract<HostAddResult, { status: 'needs-trust' }>;

/** `slurm://` + what was typed, unless it already says so. */
export const clusterSpec = (login: string) => (/^slurm:\/\//i.test(login) ? login : `slurm://${login.replace(/^ssh:\/\//i, '')}`);

/**
 * Hosts → Add a Slurm cluster: the login node (user@login-node[:port]) and key file, optionally
 * the partition, account, QOS and the shared folder; the login node's key is confirmed in the same
 * trust dialog as an SSH host's, and the cluster's card then shows what its check learned.
 */
export function AddClusterForm({ onAdded }: { onAdded(): void }) {
  const [login, setLogin] = useDraft('clusters.login');
  const [identityFile, setIdentityFile] = useDraft('clusters.identityFile');
  const [partition, setPartition] = useDraft('clusters.partition');
  const [account, setAccount] = useDraft('clusters.account');
  const [qos, setQos] = useDraft('clusters.qos');
  const [sharedDir, setSharedDir] = useDraft('clusters.sharedDir');
  const [devices, setDevices] = useDraft('clusters.devices');
  const [trust, setTrust] = useState<Trust | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const action = useAction();

  const added = () => {
    for (const clear of [setLogin, setIdentityFile, setPartition, setAccount, setQos, setSharedDir, setDevices]) clear('');
    setTrust(null);
    onAdded();
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (action.busy !== null) return;
    const slurm: SlurmHostOptions = {
      partition: partition.trim() || undefined,
      account: account.trim() || undefined,
      qos: qos.trim() || undefined,
      sharedDir: sharedDir.trim() || undefined,
      gpuDevicePattern: devices.trim() || undefined,
    };
    const result = await action.run('add-cluster', () => api.hostAdd({ spec: clusterSpec(login.trim()), identityFile: identityFile.trim() || undefined, slurm }));
    if (!result) return;
    if (result.status === 'needs-trust') setTrust(result);
    else added();
  };

  return (
    <>
    <form className="card add-cluster" onSubmit={(e) => void add(e)} aria-label="Add a Slurm cluster">
      <h2>Add a Slurm cluster</h2>
      <div className="row fields">
        <label className="field grow">
          <span>Login node</span>
          <input value={login} onChange={(e) => setLogin(e.target.value)} placeholder="analyst@login.cluster.example.com:22" autoComplete="off" spellCheck={false} required />
        </label>
        <label className="field">
          <span>Key file (optional)</span>
          <input value={identityFile} onChange={(e) => setIdentityFile(e.target.value)} placeholder="~/.ssh/id_ed25519" spellCheck={false} />
        </label>
      </div>
      <details>
        <summary>Partition, account and folders (optional)</summary>
        <div className="row fields">
          <label className="field">
            <span>Partition</span>
            <input value={partition} onChange={(e) => setPartition(e.target.value)} placeholder="the cluster's default" spellCheck={false} />
          </label>
          <label className="field">
            <span>Account</span>
            <input value={account} onChange={(e) => setAccount(e.target.value)} placeholder="your default account" spellCheck={false} />
          </label>
          <label className="field">
            <span>QOS</span>
            <input value={qos} onChange={(e) => setQos(e.target.value)} placeholder="your default QOS" spellCheck={false} />
          </label>
          <label className="field grow">
            <span>Shared folder for notebooks</span>
            <input value={sharedDir} onChange={(e) => setSharedDir(e.target.value)} placeholder="~/benchtop" spellCheck={false} />
          </label>
          <label className="field grow">
            <span>GPU device files</span>
            <input value={devices} onChange={(e) => setDevices(e.target.value)} placeholder="/dev/nvidia{index}" spellCheck={false} />
          </label>
        </div>
      </details>
      <div className="row">
        <button ref={addButton} type="submit" className="btn primary" disabled={!login.trim()} aria-disabled={action.busy !== null || undefined}>
          {action.busy === 'add-cluster' ? 'Connecting…' : 'Add cluster'}
        </button>
      </div>
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
    </form>
      <TrustDialog
        request={trust}
        onClose={() => {
          setTrust(null);
          requestAnimationFrame(() => addButton.current?.focus());
        }}
        onTrusted={added}
        onFailed={() => {
          setTrust(null);
          onAdded();
        }}
      />
    </>
  );
}
