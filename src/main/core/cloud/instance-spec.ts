import type { protos } from '@google-cloud/compute';
import type { GpuModel, GpuShape } from './gpu-models';

type Instance = protos.google.cloud.compute.v1.IInstance;

export interface InstanceSpecInput {
  name: string;
  zone: string;
  model: GpuModel;
  shape: GpuShape;
  /** Overrides the shape's machine type (same family). */
  machineType?: string;
  spot: boolean;
  diskGb: number;
  bootImage: string;
  labels: Record<string, string>;
  sshUser: string;
  publicKey: string;
  /** 0 = no server-side limit. */
  maxRunHours: number;
  startupScript: string;
}

/**
 * The instance resource GCE wants for a GPU VM: GPUs attached only to N1 types (G2/A2/A3 carry
 * theirs), `onHostMaintenance: TERMINATE` (GPU VMs cannot live-migrate), spot with a STOP
 * termination action, `maxRunDuration` as a server-side backstop, Benchtop's labels on the VM and
 * its boot disk, this install's key in `ssh-keys`, and guest attributes on so the guest publishes
 * its SSH host keys (read back instead of trusting the first key seen).
 */
export function instanceSpec(i: InstanceSpecInput): Instance {
  const machineType = i.machineType ?? i.shape.machineType;
  const scheduling: protos.google.cloud.compute.v1.IScheduling = {
    onHostMaintenance: 'TERMINATE',
    automaticRestart: !i.spot,
    provisioningModel: i.spot ? 'SPOT' : 'STANDARD',
  };
  if (i.spot || i.maxRunHours > 0) scheduling.instanceTerminationAction = 'STOP';
  if (i.maxRunHours > 0) scheduling.maxRunDuration = { seconds: Math.round(i.maxRunHours * 3600) };
  return {
    name: i.name,
    machineType: `zones/${i.zone}/machineTypes/${machineType}`,
    labels: i.labels,
    ...(i.model.attach === 'attached'
      ? { guestAccelerators: [{ acceleratorType: `zones/${i.zone}/acceleratorTypes/${i.model.gpuType}`, acceleratorCount: i.shape.gpuCount }] }
      : {}),
    scheduling,
    disks: [{
      boot: true,
      autoDelete: true,
      initializeParams: { sourceImage: i.bootImage, diskSizeGb: i.diskGb, diskType: `zones/${i.zone}/diskTypes/pd-balanced`, labels: i.labels },
    }],
    networkInterfaces: [{ network: 'global/networks/default', accessConfigs: [{ name: 'External NAT', type: 'ONE_TO_ONE_NAT' }] }],
    metadata: {
      items: [
        { key: 'ssh-keys', value: `${i.sshUser}:${i.publicKey}` },
        // Only this key: project-wide keys do not open a teammate's private VM.
        { key: 'block-project-ssh-keys', value: 'TRUE' },
        { key: 'enable-guest-attributes', value: 'TRUE' },
        // Deep Learning VM images install the NVIDIA driver at first boot when asked.
        { key: 'install-nvidia-driver', value: 'True' },
        { key: 'startup-script', value: i.startupScript },
      ],
    },
  };
}
