import { useState } from 'react';
import type { CloudVm } from '../../../../../shared/ipc';
import { StatusBadge, type Tone } from '../../../components/StatusBadge';
import { useNow } from '../../../hooks/useNow';
import { usd } from './cloud-steps';

const TONE: Record<string, Tone> = { RUNNING: 'ok', TERMINATED: 'muted', STOPPED: 'muted', PROVISIONING: 'busy', STAGING: 'busy', STOPPING: 'busy' };

interface Props {
  vm: CloudVm;
  busy: boolean;
  onStart(): void;
  onStop(): void;
  onDelete(): void;
  onResize(machineType: string): void;
}

/** One cloud VM: state, shape, price and what it has cost this run; its owner starts, stops, resizes or deletes it. */
export function CloudVmCard({ vm, busy, onStart, onStop, onDelete, onResize }: Props) {
  const now = useNow(10_000);
  const [size, setSize] = useState(vm.machineType);
  const hours = vm.runningSince ? Math.max(0, now - Date.parse(vm.runningSince)) / 3_600_000 : 0;
  const stopped = vm.status === 'TERMINATED' || vm.status === 'STOPPED';
  return (
    <li className="card host-card" aria-label={`Cloud VM ${vm.name}`}>
      <header className="card-head">
        <div>
          <h2>{vm.name}</h2>
          <p className="mono muted">{vm.zone}{vm.address ? ` · ${vm.address}` : ''}</p>
        </div>
        <StatusBadge tone={vm.interrupted ? 'warn' : TONE[vm.status] ?? 'info'}>{vm.interrupted ? `${vm.status}, interrupted` : vm.status}</StatusBadge>
      </header>
      {vm.interrupted && <p className="hint">Its creation did not finish. Delete it so it costs nothing.</p>}
      <dl className="facts">
        <dt>Machine</dt>
        <dd>{vm.machineType}{vm.gpuType ? ` · ${vm.gpuCount} × ${vm.gpuType}` : ''}{vm.spot ? ' · spot' : ''} · {vm.diskGb} GB</dd>
        <dt>Price</dt>
        <dd className="num">
          {vm.priceUnknown ? `unknown: ${vm.machineType} is not in the price catalog` : `${usd(vm.pricePerHour)} per hour${vm.runningSince ? ` · ${usd(vm.pricePerHour * hours)} this run` : ''}`}
        </dd>
        <dt>Owner</dt>
        <dd>{vm.mine ? `${vm.owner.name} (you)` : vm.owner.name}</dd>
        {vm.hostId && (
          <>
            <dt>Host</dt>
            <dd>{vm.hostId}</dd>
          </>
        )}
      </dl>
      {vm.mine && (
        <div className="row">
          {stopped ? (
            <button type="button" className="btn" onClick={onStart} disabled={busy} aria-label={`Start ${vm.name}`}>Start</button>
          ) : (
            <button type="button" className="btn" onClick={onStop} disabled={busy || vm.status !== 'RUNNING'} aria-label={`Stop ${vm.name}`}>Stop</button>
          )}
          <label className="field">
            <span>Machine type</span>
            <input value={size} onChange={(e) => setSize(e.target.value)} spellCheck={false} />
          </label>
          <button type="button" className="btn" onClick={() => onResize(size.trim())} disabled={busy || size.trim() === vm.machineType} aria-label={`Resize ${vm.name}`}>Resize</button>
          <button type="button" className="btn danger" onClick={onDelete} disabled={busy} aria-label={`Delete ${vm.name}`}>Delete</button>
        </div>
      )}
    </li>
  );
}
