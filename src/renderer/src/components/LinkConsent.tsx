import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { LinkConfirmResult, LinkPlan } from '../../../shared/ipc';
import { api, errorInfo } from '../api';
import { useApp } from '../app-context';
import { newOpId } from '../lib/opid';
import { cancelOperation } from '../lib/operation';
import { Dialog } from './Dialog';
import { ErrorPanel } from './ErrorPanel';

/** A parent folder the user picked, plus the project's folder name (the path style of the parent). */
function inside(parent: string, name: string): string {
  const sep = parent.includes('\\') && !parent.includes('/') ? '\\' : '/';
  return `${parent.replace(/[\\/]+$/, '')}${sep}${name}`;
}

type Stage =
  | { kind: 'planning'; url: string; opId: string }
  | { kind: 'plan'; url: string; plan: LinkPlan }
  | { kind: 'error'; url: string; error: ErrorInfo };

/**
 * The consent dialog of a benchtop:// link. Links arrive from the OS (or the test bridge) as
 * `linkOpened` events, or were queued before this window listened. The dialog shows exactly what
 * confirming will do (the repository and commit, the folder, the hosts and the key fingerprints
 * that will be trusted, the pinned image and its registry); nothing happens before Confirm. After
 * an open link is confirmed, the project opens and the one-click start runs (check → pull → start →
 * notebook) on the Welcome screen.
 */
export function LinkConsent() {
  const { openProject, navigate, startFlow } = useApp();
  const [queue, setQueue] = useState<string[]>([]);
  const [stage, setStage] = useState<Stage | null>(null);
  const [dir, setDir] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmError, setConfirmError] = useState<ErrorInfo | null>(null);
  const [joined, setJoined] = useState<LinkConfirmResult | null>(null);
  const current = useRef<Stage | null>(null);
  current.current = stage;

  useEffect(() => {
    // The core hands each link out once (linkPending): the event only says "there is one", so a link
    // that arrives while the window starts is never planned twice (a second staged clone).
    const take = () =>
      api.linkPending().then(
        ({ urls }) => urls.length > 0 && setQueue((q) => [...q, ...urls]),
        (e: unknown) => setStage({ kind: 'error', url: '', error: errorInfo(e) }),
      );
    const off = api.on('linkOpened', () => void take());
    void take();
    return off;
  }, []);

  // One link at a time: the next one is planned when the dialog is free.
  useEffect(() => {
    if (stage || queue.length === 0) return;
    const [url, ...rest] = queue as [string, ...string[]];
    setQueue(rest);
    setDir(null);
    setConfirmError(null);
    setJoined(null);
    const opId = newOpId('link');
    setStage({ kind: 'planning', url, opId });
    api.linkPlan({ opId, url }).then(
      (plan) => setStage((s) => (s?.kind === 'planning' && s.opId === opId ? { kind: 'plan', url, plan } : s)),
      (e: unknown) => setStage((s) => (s?.kind === 'planning' && s.opId === opId ? { kind: 'error', url, error: errorInfo(e) } : s)),
    );
  }, [stage, queue]);

  const close = useCallback(() => {
    const s = current.current;
    if (s?.kind === 'planning') cancelOperation(api, s.opId);
    // A refused link leaves nothing behind: the staged clone goes too. If that fails, the core removes
    // staged clones left behind at the next plan, and the dialog is closing either way.
    if (s?.kind === 'plan') void api.linkCancel({ planId: s.plan.planId }).catch(() => undefined);
    setStage(null);
    setBusy(false);
  }, []);

  const chooseParent = async () => {
    if (stage?.kind !== 'plan' || stage.plan.link.action !== 'open') return;
    const name = stage.plan.link.name;
    try {
      const parent = await api.projectChooseFolder();
      if (parent) setDir(inside(parent, name));
    } catch (e) {
      setConfirmError(errorInfo(e));
    }
  };

  const confirm = async () => {
    if (stage?.kind !== 'plan') return;
    setBusy(true);
    setConfirmError(null);
    try {
      const done = await api.linkConfirm({ opId: newOpId('link-confirm'), planId: stage.plan.planId, ...(dir ? { dir } : {}) });
      if (done.dir) {
        setStage(null);
        setBusy(false);
        navigate('welcome');
        if (await openProject(done.dir)) void startFlow.start(done.dir, 'check');
        return;
      }
      setJoined(done);
    } catch (e) {
      setConfirmError(errorInfo(e));
    }
    setBusy(false);
  };

  const plan = stage?.kind === 'plan' ? stage.plan : null;
  const isOpen = plan?.link.action === 'open';
  const title = !stage
    ? ''
    : stage.kind === 'planning'
      ? 'Reading the link…'
      : stage.kind === 'error'
        ? 'This link cannot be used'
        : isOpen
          ? `Open ${plan?.projectName ?? 'the project'} from a link?`
          : `Join ${plan?.teamName ?? 'the team'}?`;

  return (
    <Dialog title={title} open={stage !== null} onClose={close}>
      {stage?.kind === 'planning' && (
        <>
          <p role="status">Reading what the link asks for (for a project: cloning it into a private staging folder). Nothing else happens until you confirm.</p>
          <p className="mono muted link-url">{stage.url}</p>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={close} autoFocus>
              Cancel
            </button>
          </div>
        </>
      )}
      {stage?.kind === 'error' && (
        <>
          <ErrorPanel error={stage.error} />
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={close} autoFocus>
              Close
            </button>
          </div>
        </>
      )}
      {plan && !joined && (
        <>
          <p>Someone sent you a Benchtop link. Check what it will do; nothing happens until you confirm.</p>
          <dl className="facts" aria-label="What the link names">
            {plan.repo && (
              <>
                <dt>Repository</dt>
                <dd className="mono" data-testid="link-repo">{plan.repo}</dd>
              </>
            )}
            {plan.ref && (
              <>
                <dt>Branch or tag</dt>
                <dd className="mono">{plan.ref}</dd>
              </>
            )}
            {plan.commit && (
              <>
                <dt>Commit</dt>
                <dd className="mono">{plan.commit}</dd>
              </>
            )}
            {isOpen && (
              <>
                <dt>Folder</dt>
                <dd>
                  <span className="mono" data-testid="link-folder">{dir ?? plan.targetDir}</span>{' '}
                  <button type="button" className="btn ghost small" onClick={() => void chooseParent()} disabled={busy}>
                    Choose another folder…
                  </button>
                </dd>
              </>
            )}
            {plan.image && (
              <>
                <dt>Image</dt>
                <dd className="mono" data-testid="link-image">{plan.image}</dd>
              </>
            )}
            {plan.imageSizeBytes !== undefined && (
              <>
                <dt>Download</dt>
                <dd>up to {(plan.imageSizeBytes / 1e6).toFixed(0)} MB (less when layers are here already)</dd>
              </>
            )}
            {plan.registry && (
              <>
                <dt>Registry</dt>
                <dd className="mono">{plan.registry}</dd>
              </>
            )}
            {plan.teamSource && (
              <>
                <dt>Team file</dt>
                <dd className="mono">{plan.teamSource}</dd>
              </>
            )}
          </dl>
          {plan.hosts.length > 0 && (
            <table className="table" aria-label="Hosts that will be added">
              <caption>Hosts that will be added, trusted only with these key fingerprints</caption>
              <thead>
                <tr>
                  <th scope="col">Host</th>
                  <th scope="col">Address</th>
                  <th scope="col">Key fingerprints</th>
                </tr>
              </thead>
              <tbody>
                {plan.hosts.map((h) => (
                  <tr key={h.id}>
                    <td>{h.kind === 'slurm' ? `Slurm cluster ${h.id}` : h.id}</td>
                    <td className="mono">{h.address}</td>
                    <td className="mono fingerprint">{h.fingerprints.join(' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>What will happen</h3>
          <ol className="link-steps" aria-label="What will happen">
            {plan.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
          {plan.warnings.map((w) => (
            <p key={w} className="banner warn" role="status">
              {w}
            </p>
          ))}
          {confirmError && <ErrorPanel error={confirmError} />}
          <div className="dialog-actions">
            {/* The safe answer takes focus: a stray Enter does nothing. */}
            <button type="button" className="btn" onClick={close} autoFocus disabled={busy}>
              Cancel
            </button>
            <button type="button" className="btn primary" onClick={() => void confirm()} disabled={busy}>
              {busy ? 'Working…' : isOpen ? 'Confirm and start' : 'Confirm and join'}
            </button>
          </div>
        </>
      )}
      {joined && (
        <>
          <p role="status">You joined {plan?.teamName ?? 'the team'}.</p>
          <ul>
            {joined.hosts.map((h) => (
              <li key={h.id}>
                {h.id}: {h.status}
                {h.message ? ` — ${h.message}` : ''}
              </li>
            ))}
          </ul>
          <div className="dialog-actions">
            <button type="button" className="btn primary" onClick={() => setStage(null)} autoFocus>
              Done
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
