import type { PullProgress, SessionState } from '../../../../shared/ipc';
import { ProgressBar } from '../../components/ProgressBar';
import { pullPhaseText, pullProgressText } from '../../lib/progress';
import type { StepStatus } from '../../lib/start-flow';

interface Props {
  progress: PullProgress | null;
  detail: string;
  state: SessionState | undefined;
  status: StepStatus;
}

/**
 * The session step: image download (bytes, rate, time left) then what the session does next.
 * Every line keeps its place (reserved rows, fixed-width numbers) so nothing jumps as numbers change.
 */
export function PullPanel({ progress, detail, state, status }: Props) {
  // A pull that found the image already here ends at once with nothing moved: no figures to show.
  const already = progress?.phase === 'done' && progress.bytesTotal === 0;
  const text = progress && !already ? pullProgressText(progress) : null;
  // With the image already here there is no download: the step then ends with a full bar, not a spinner.
  const value = status === 'done' || already ? 1 : (text?.value ?? (status === 'failed' ? 0 : null));
  const phase = already
    ? 'Image already on this computer'
    : progress
      ? pullPhaseText(progress.phase)
      : status === 'done'
        ? 'Image ready'
        : 'Preparing the image';
  return (
    <div className="pull-panel">
      <div className="pull-line">
        <span className="pull-phase">{phase}</span>
        <span className="pull-parts num">{text?.parts ?? ''}</span>
      </div>
      <ProgressBar value={value} label="Image download" />
      <div className="pull-figures num" aria-live="off">
        <span className="fig-amount">{text?.amount ?? '\u00a0'}</span>
        <span className="fig-rate">{text?.rate ?? ''}</span>
        <span className="fig-eta">{text && status === 'running' ? text.remaining : ''}</span>
      </div>
      <p className="step-detail" role="status">
        {status === 'done' ? 'Jupyter is ready' : detail || (state ? `Session ${state}` : '\u00a0')}
      </p>
    </div>
  );
}
