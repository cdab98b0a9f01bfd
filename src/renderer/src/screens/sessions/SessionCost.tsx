import type { CloudVm } from '../../../../shared/ipc';
import type { ErrorInfo } from '../../../../shared/errors';
import { usd } from '../hosts/cloud/cloud-steps';

interface Props {
  /** The session's name as its card says it ("project on target"). */
  name: string;
  vm?: CloudVm;
  error?: ErrorInfo | null;
  now: number;
}

/** What a session on a cloud VM costs: the VM's price per hour and its cost since it last started, counting up. */
export function SessionCost({ name, vm, error, now }: Props) {
  if (!vm && !error) return null;
  const label = `Cost of ${name}`;
  if (!vm) {
    return (
      <div>
        <dt>Cost</dt>
        <dd className="num" aria-label={label} title={error ? `${error.message} ${error.hint ?? ''}` : undefined}>unknown ({error?.code})</dd>
      </div>
    );
  }
  if (vm.priceUnknown) {
    return (
      <div>
        <dt>Cost</dt>
        <dd aria-label={label}>unknown ({vm.machineType} has no price)</dd>
      </div>
    );
  }
  const hours = vm.runningSince ? Math.max(0, now - Date.parse(vm.runningSince)) / 3_600_000 : 0;
  const source = `${vm.priceOrigin === 'billing-api' ? 'Cloud Billing Catalog API' : 'shipped'} prices of ${vm.priceDate}`;
  return (
    <div>
      <dt>Cost</dt>
      <dd className="num" aria-label={label} title={`${vm.name}, ${vm.machineType}: ${source}; since ${vm.runningSince ?? 'stopped'}`}>
        {usd(vm.pricePerHour)}/h · {vm.runningSince ? `${usd(vm.pricePerHour * hours)} so far` : vm.status.toLowerCase()}
      </dd>
    </div>
  );
}
