import { useState } from 'react';
import type { CloudVm } from '../../../../../shared/ipc';
import { api } from '../../../api';
import { useApp } from '../../../app-context';
import { useConfirm } from '../../../components/ConfirmDialog';
import { ErrorPanel } from '../../../components/ErrorPanel';
import { useAction, useCall } from '../../../hooks/useCall';
import { newOpId } from '../../../lib/opid';
import { usd } from './cloud-steps';
import { CloudVmCard } from './CloudVmCard';
import { MonthLimitBanner, useMonthSpend } from './MonthLimit';
import { NewCloudVmDialog } from './NewCloudVmDialog';

/** Hosts → Cloud GPU VMs: the project's Benchtop VMs (found by their labels) and "New cloud GPU VM". */
export function CloudSection({ onHostsChanged }: { onHostsChanged(): void }) {
  const { project } = useApp();
  const vms = useCall(() => api.cloudVmList({ projectDir: project?.dir }), `cloud-vms-${project?.dir ?? ''}`);
  const [creating, setCreating] = useState(false);
  const [spendKey, setSpendKey] = useState(0);
  const spend = useMonthSpend(project?.dir, String(spendKey));
  const action = useAction();
  const confirm = useConfirm();
  const changed = () => {
    vms.reload();
    setSpendKey((k) => k + 1);
    onHostsChanged();
  };
  const act = async (label: string, work: () => Promise<unknown>) => {
    if (await action.run(label, work)) changed();
    else vms.reload();
  };
  const remove = async (vm: CloudVm) => {
    const yes = await confirm.ask({
      title: `Delete ${vm.name}?`,
      lost: ['The VM and its boot disk, with anything on it that was not synced back', `Its host entry ${vm.hostId ?? vm.name}`],
      confirmLabel: 'Delete VM',
    });
    if (yes) await act(`delete ${vm.name}`, () => api.cloudVmDelete({ opId: newOpId('cloud-rm'), name: vm.name }));
  };
  const resize = async (vm: CloudVm, machineType: string) => {
    const running = vm.status !== 'TERMINATED' && vm.status !== 'STOPPED';
    if (running) {
      const yes = await confirm.ask({
        title: `Stop ${vm.name} to resize it?`,
        lost: ['Its running sessions and kernels (notebooks are kept); it starts again as ' + machineType],
        confirmLabel: 'Stop and resize',
      });
      if (!yes) return;
    }
    await act(`resize ${vm.name}`, () => api.cloudVmResize({ opId: newOpId('cloud-resize'), name: vm.name, machineType, stopFirst: running }));
  };
  // Over the monthly limit, starting another VM asks first (the core warns too).
  const start = async (vm: CloudVm) => {
    if (spend.over) {
      const yes = await confirm.ask({
        title: `Start ${vm.name} over your monthly limit?`,
        lost: [`About ${usd(vm.pricePerHour)} more per hour, on top of about ${usd(spend.spent)} this month (limit ${usd(spend.limit)})`],
        confirmLabel: 'Start anyway',
      });
      if (!yes) return;
    }
    await act(`start ${vm.name}`, () => api.cloudVmStart({ opId: newOpId('cloud-start'), name: vm.name }));
  };
  const notConfigured = vms.error?.code === 'CLOUD_NOT_CONFIGURED';
  return (
    <section className="cloud-vms" aria-label="Cloud GPU VMs">
      <header className="card-head">
        <h2>Cloud GPU VMs</h2>
        <button type="button" className="btn primary" onClick={() => setCreating(true)}>New cloud GPU VM</button>
      </header>
      <MonthLimitBanner spend={spend} />
      {notConfigured && <p className="muted">No Google Cloud project yet: choose it in New cloud GPU VM.</p>}
      {vms.error && !notConfigured && <ErrorPanel error={vms.error} onRetry={vms.reload} />}
      {action.error && <ErrorPanel error={action.error} onDismiss={action.clear} />}
      {vms.data && vms.data.length === 0 && <p className="muted">No Benchtop VMs in the project.</p>}
      <ul className="host-list" aria-label="Cloud VMs">
        {(vms.data ?? []).map((vm) => (
          <CloudVmCard
            key={vm.name}
            vm={vm}
            busy={action.busy !== null}
            onStart={() => void start(vm)}
            onStop={() => void act(`stop ${vm.name}`, () => api.cloudVmStop({ opId: newOpId('cloud-stop'), name: vm.name }))}
            onDelete={() => void remove(vm)}
            onResize={(type) => void resize(vm, type)}
          />
        ))}
      </ul>
      {confirm.dialog}
      <NewCloudVmDialog open={creating} projectDir={project?.dir} onClose={() => setCreating(false)} onChanged={changed} />
    </section>
  );
}
