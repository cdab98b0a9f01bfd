import { useId, useState, type FormEvent } from 'react';
import type { CloudOptions, CloudVm, ErrorInfo, SessionInfo } from '../../../../../shared/ipc';
import { api, errorInfo } from '../../../api';
import { Dialog } from '../../../components/Dialog';
import { ErrorPanel } from '../../../components/ErrorPanel';
import { useCall } from '../../../hooks/useCall';
import { useFollow } from '../../../hooks/useFollow';
import { newOpId } from '../../../lib/opid';
import { StepIcon } from '../../welcome/StepIcon';
import { advance, CLOUD_STEPS, doneThrough, failRunning, shownStepOf, usd, WAITING, type CloudSteps } from './cloud-steps';
import { CloudSettingsForm } from './CloudSettingsForm';

interface Props {
  open: boolean;
  /** The open project: its session starts on the new VM. */
  projectDir?: string;
  onClose(): void;
  /** A VM was made (or half-made): the list should show it. */
  onChanged(): void;
}

/** GPU type and count, zones, spot, disk and the price; then the steps to a ready notebook. */
export function NewCloudVmDialog({ open, projectDir, onClose, onChanged }: Props) {
  const [round, setRound] = useState(0);
  const settings = useCall(open ? () => api.cloudSettingsGet({ projectDir }) : null, `cloud-settings-${open}-${round}`);
  const configured = !!(settings.data?.project || settings.data?.team?.project);
  const options = useCall(open && configured ? () => api.cloudOptions({ projectDir }) : null, `cloud-options-${open}-${round}-${configured}`);
  const [editing, setEditing] = useState(false);
  return (
    <Dialog title="New cloud GPU VM" open={open} onClose={onClose}>
      {settings.error && <ErrorPanel error={settings.error} onRetry={settings.reload} />}
      {settings.data && (!configured || editing) && (
        <CloudSettingsForm view={settings.data} onSaved={() => {
          setEditing(false);
          setRound((r) => r + 1);
          onChanged();
        }} />
      )}
      {configured && !editing && options.error && <ErrorPanel error={options.error} onRetry={options.reload} />}
      {configured && !editing && options.loading && <p className="muted">Asking Google Cloud which GPUs the project can have…</p>}
      {configured && !editing && options.data && (
        <CreateForm options={options.data} projectDir={projectDir} onEditSettings={() => setEditing(true)} onChanged={onChanged} onClose={onClose} />
      )}
    </Dialog>
  );
}

function CreateForm({ options, projectDir, onEditSettings, onChanged, onClose }: { options: CloudOptions; projectDir?: string; onEditSettings(): void; onChanged(): void; onClose(): void }) {
  const [gpuType, setGpuType] = useState(options.offers[0]?.gpuType ?? '');
  const offer = options.offers.find((o) => o.gpuType === gpuType);
  const [gpuCount, setGpuCount] = useState(1);
  const shape = offer?.shapes.find((s) => s.gpuCount === gpuCount) ?? offer?.shapes[0];
  const [zones, setZones] = useState(options.zones.join(', '));
  const [spot, setSpot] = useState(false);
  const [diskGb, setDiskGb] = useState(options.defaultDiskGb);
  const [steps, setSteps] = useState<CloudSteps | null>(null);
  const [detail, setDetail] = useState('');
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [vm, setVm] = useState<CloudVm | null>(null);
  const [session, setSession] = useState<SessionInfo | null>(null);
  // Labels point at their selects (not around them), so each select's name is just its label.
  const gpuId = useId();
  const countId = useId();

  // The VM's create, then the session's start on it.
  const followOp = useFollow({ operationStep: (s) => {
    const shown = shownStepOf(s.step);
    if (shown) setSteps((current) => (current ? advance(current, shown) : current));
    setDetail(s.detail ?? s.step);
  } });

  const hourly = shape ? (spot ? shape.spotPricePerHour : shape.pricePerHour) + (options.diskPricePerGbMonth * diskGb) / 730 : 0;
  const overLimit = options.monthlyLimit > 0 && options.spentThisMonth >= options.monthlyLimit;

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!offer || !shape) return;
    const createOp = newOpId('cloud-create');
    const upOp = newOpId('cloud-up');
    followOp(createOp);
    setError(null);
    setSteps(advance(WAITING, 'create'));
    let made: CloudVm;
    try {
      made = await api.cloudVmCreate({
        opId: createOp, gpuType: offer.gpuType, gpuCount: shape.gpuCount, spot, diskGb,
        zones: zones.split(',').map((z) => z.trim()).filter(Boolean),
      });
    } catch (e) {
      setError(errorInfo(e));
      setSteps((s) => (s ? failRunning(s) : s));
      onChanged();
      return;
    }
    setVm(made);
    onChanged();
    if (!projectDir) {
      setSteps((s) => (s ? doneThrough(s, 'docker') : s));
      setDetail(`${made.name} is ready. Open a project to start a session on it.`);
      return;
    }
    setSteps((s) => (s ? advance(s, 'pull') : s));
    followOp(upOp);
    try {
      setSession(await api.sessionUp({ opId: upOp, dir: projectDir, target: made.hostId ?? made.name }));
      setSteps((s) => (s ? doneThrough(s, 'jupyter') : s));
      setDetail(`Jupyter runs on ${made.name}.`);
    } catch (e) {
      setError(errorInfo(e));
      setSteps((s) => (s ? failRunning(s) : s));
    }
  };

  if (steps) {
    return (
      <div className="cloud-progress">
        <ol className="steps" aria-label="Cloud VM progress">
          {CLOUD_STEPS.map((step) => (
            <li key={step.id} className={`step ${steps[step.id]}`} aria-label={`${step.title}: ${steps[step.id]}`}>
              <div className="step-head">
                <StepIcon status={steps[step.id]} />
                <span className="step-title">{step.title}</span>
              </div>
            </li>
          ))}
        </ol>
        {detail && <p className="muted" data-testid="cloud-step-detail">{detail}</p>}
        {error && <ErrorPanel error={error} reveal />}
        <div className="dialog-actions">
          {session && (
            <button type="button" className="btn primary" onClick={() => void api.sessionOpen({ id: session.id, where: 'browser' })}>
              Open notebook
            </button>
          )}
          <button type="button" className="btn" onClick={onClose} disabled={!error && !vm}>
            Close
          </button>
        </div>
      </div>
    );
  }

  return (
    <form className="cloud-create" onSubmit={(e) => void create(e)} aria-label="New cloud GPU VM">
      <p className="muted">
        Project <span className="mono">{options.project}</span>{' '}
        <button type="button" className="btn ghost small" onClick={onEditSettings}>Change</button>
      </p>
      {options.offers.length === 0 && <p className="warn-text">No zone of {options.project} lists a GPU type Benchtop knows.</p>}
      <div className="row">
        <div className="field">
          <span><label htmlFor={gpuId}>GPU</label></span>
          <select id={gpuId} value={gpuType} onChange={(e) => {
            setGpuType(e.target.value);
            setGpuCount(1);
          }}>
            {options.offers.map((o) => <option key={o.gpuType} value={o.gpuType}>{o.label}</option>)}
          </select>
        </div>
        <div className="field">
          <span><label htmlFor={countId}>GPUs</label></span>
          <select id={countId} value={shape?.gpuCount ?? 1} onChange={(e) => setGpuCount(Number(e.target.value))}>
            {offer?.shapes.map((s) => <option key={s.gpuCount} value={s.gpuCount}>{s.gpuCount} ({s.machineType})</option>)}
          </select>
        </div>
        <label className="field">
          <span>Disk (GB)</span>
          <input type="number" min={10} value={diskGb} onChange={(e) => setDiskGb(Number(e.target.value) || options.defaultDiskGb)} />
        </label>
      </div>
      <label className="field grow">
        <span>Zones to try, in order</span>
        <input value={zones} onChange={(e) => setZones(e.target.value)} placeholder={offer?.zones.join(', ') || 'any zone offering the GPU'} spellCheck={false} />
      </label>
      <label className="check">
        <input type="checkbox" checked={spot} onChange={(e) => setSpot(e.target.checked)} /> Spot VM (cheaper; Google may stop it at any time)
      </label>
      <p className="price" data-testid="cloud-price">
        {shape ? `${usd(hourly)} per hour` : '—'}{' '}
        <span className="muted">
          ({options.catalogOrigin === 'billing-api' ? 'Cloud Billing Catalog API' : 'shipped'} prices of {options.catalogDate}, {options.catalogRegion}, disk included; stopped VMs cost only their disk)
        </span>
      </p>
      {options.catalogNote && <p className="hint" data-testid="cloud-price-note">{options.catalogNote}</p>}
      {options.monthlyLimit > 0 && (
        <p className={overLimit ? 'banner warn' : 'muted'} role={overLimit ? 'alert' : undefined} aria-label="Monthly cloud limit">
          This month so far: about <span className="num">{usd(options.spentThisMonth)}</span> of your <span className="num">{usd(options.monthlyLimit)}</span> limit.
          {overLimit ? ' Creating this VM adds to it.' : ''}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>Cancel</button>
        <button type="submit" className="btn primary" disabled={!shape}>Create</button>
      </div>
    </form>
  );
}
