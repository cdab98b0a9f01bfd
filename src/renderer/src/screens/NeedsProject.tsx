import { useApp } from '../app-context';
import { Empty } from '../components/Screen';

/** Shown by screens that work on a project while none is open. */
export function NeedsProject({ what }: { what: string }) {
  const { navigate } = useApp();
  return (
    <Empty title={`Open a project to see its ${what}.`}>
      <button type="button" className="btn primary" onClick={() => navigate('welcome')}>
        Open a project
      </button>
    </Empty>
  );
}
