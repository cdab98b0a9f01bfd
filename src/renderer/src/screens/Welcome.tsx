import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { api, errorInfo } from '../api';
import { useApp } from '../app-context';
import { CopyButton } from '../components/CopyButton';
import { ErrorPanel } from '../components/ErrorPanel';
import { Screen } from '../components/Screen';
import { useAction, useCall } from '../hooks/useCall';
import { useRevealStep } from '../hooks/useRevealStep';
import { shortDigest } from '../lib/format';
import { START_STEPS, stepTitle } from '../lib/start-flow';
import { ClusterStart } from './sessions/ClusterStart';
import { CheckList } from './welcome/CheckList';
import { OpenedSession } from './welcome/OpenedSession';
import { PullPanel } from './welcome/PullPanel';
import { RecentProjects } from './welcome/RecentProjects';
import { ReplaceSession } from './welcome/ReplaceSession';
import { StepIcon } from './welcome/StepIcon';
import { useStart } from './welcome/useStart';

/** First run and everyday start: open a project, then one button brings up its notebook. */
export function WelcomeScreen() {
  const { project, openProject, projectError, startFlow: flow } = useApp();
  const recent = useCall(() => api.projectRecent(), 'recent');
  const [chooseError, setChooseError] = useState<ErrorInfo | null>(null);
  const reopen = useAction();
  // Start goes to the default target: a Slurm cluster there submits a job (the Sessions screen follows it).
  const starter = useStart();
  // After opening a folder, focus moves to its result: the Start button of the opened project.
  const startButton = useRef<HTMLButtonElement>(null);
  const [focusStart, setFocusStart] = useState(false);
  useEffect(() => {
    if (focusStart && project) {
      startButton.current?.focus();
      setFocusStart(false);
    }
  }, [focusStart, project]);

  const chooseFolder = async () => {
    setChooseError(null);
    try {
      const dir = await api.projectChooseFolder();
      if (dir && (await openProject(dir))) {
        recent.reload();
        setFocusStart(true);
      }
    } catch (e) {
      setChooseError(errorInfo(e));
    }
  };

  // Progress shown belongs to the open project only (another project may have been opened since).
  const mine = project !== null && flow.dir === project.dir;
  const { steps, checks, checkTotal, checkReport, pull, detail, session, failure, running } = flow;
  // At a small window the running step would sit below the fold: it scrolls into view.
  const stepList = useRevealStep<HTMLOListElement>(steps);

  return (
    <Screen title="Welcome" subtitle="Open your team's project and start its analysis environment with one click.">
      {!project ? (
        <div className="welcome-grid">
          <div className="card hero">
            <h2>Open a project</h2>
            <p className="muted">
              A project is a folder with <code>.devcontainer/devcontainer.json</code>. Benchtop reads the pinned image,
              checks this computer, and starts Jupyter with the project&apos;s notebooks.
            </p>
            <button type="button" className="btn primary large" onClick={() => void chooseFolder()}>
              Open project folder…
            </button>
            {chooseError && <ErrorPanel error={chooseError} />}
            {projectError && <ErrorPanel error={projectError} />}
          </div>
          <div className="card">
            <RecentProjects recent={recent} onOpen={(dir) => void openProject(dir)} />
          </div>
        </div>
      ) : (
        <div className="start-layout">
          <div className="card project-card">
            <div>
              <h2>{project.name}</h2>
              <p className="mono muted" title={project.dir}>
                {project.dir}
              </p>
              <p>
                Image <strong>{project.pinned?.version ?? 'unversioned'}</strong>{' '}
                <span className="mono muted">{project.pinned ? shortDigest(project.pinned.digest) : project.image}</span>
                {/* The whole digest on demand, copied rather than wrapped mid-hash across the card. */}
                {project.pinned && <CopyButton text={project.pinned.digest} label="Copy digest" className="btn ghost small" />}
              </p>
            </div>
            <div className="row">
              <button type="button" className="btn ghost" onClick={() => void chooseFolder()} disabled={running}>
                Open another folder…
              </button>
              {/* aria-disabled, not disabled, while starting: focus stays on the button instead of dropping to the page. */}
              <button
                ref={startButton}
                type="button"
                className="btn primary large"
                onClick={() => {
                  if (!running) void starter.start(project.dir);
                }}
                aria-disabled={running || starter.busy !== null}
              >
                {starter.busy === 'submit' ? 'Submitting…' : 'Start'}
              </button>
            </div>
            {chooseError && <ErrorPanel error={chooseError} />}
            {projectError && <ErrorPanel error={projectError} />}
            {starter.error && <ErrorPanel error={starter.error} onDismiss={starter.clear} />}
          </div>
          <ClusterStart dir={project.dir} />

          {mine && (
            <ol ref={stepList} className="steps" aria-label="Start progress">
              {START_STEPS.map((step) => (
                <li key={step.id} className={`step ${steps[step.id]}`} aria-label={`${step.title}: ${steps[step.id]}`}>
                  <div className="step-head">
                    <StepIcon status={steps[step.id]} />
                    <span className="step-title">{step.title}</span>
                    {step.id === 'check' && checkTotal > 0 && (
                      <span className="muted num">
                        {checks.length} of {checkTotal}
                      </span>
                    )}
                    {step.id === 'session' && steps.session === 'running' && (
                      <button type="button" className="btn ghost small" onClick={flow.cancel}>
                        Cancel
                      </button>
                    )}
                  </div>
                  {step.id === 'check' && checks.length > 0 && <CheckList results={checks} finished={steps.check !== 'running'} reportText={checkReport} />}
                  {step.id === 'session' && steps.session !== 'waiting' && (
                    <PullPanel progress={pull} detail={detail} state={session?.state} status={steps.session} />
                  )}
                  {step.id === 'open' && steps.open === 'done' && session?.url && (
                    <OpenedSession session={session} onOpenAgain={() => void reopen.run('open', () => api.sessionOpen({ id: session.id, where: 'app' }))} />
                  )}
                </li>
              ))}
            </ol>
          )}

          {reopen.error && <ErrorPanel error={reopen.error} onDismiss={reopen.clear} />}
          {mine && failure?.info.code === 'SESSION_EXISTS' && (
            <ReplaceSession project={project} onStopped={() => void flow.start(project.dir, failure.step)} />
          )}
          {mine && failure && failure.info.code !== 'SESSION_EXISTS' && (
            <ErrorPanel
              error={failure.info}
              reveal
              retryLabel={`Retry from ${stepTitle(failure.step)}`}
              onRetry={() => void flow.start(project.dir, failure.step)}
            />
          )}
          {/* Recent projects stay one click away with a project open (they used to vanish). */}
          <div className="card">
            <RecentProjects recent={recent} exclude={project.dir} onOpen={(dir) => void openProject(dir).then((ok) => ok && recent.reload())} />
          </div>
        </div>
      )}
    </Screen>
  );
}
