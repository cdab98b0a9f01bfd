import type { SettingSource } from '../../../../shared/ipc';
import { useApp } from '../../app-context';
import { DataTable } from '../../components/DataTable';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useTeamSettings } from '../../hooks/useShared';

const SOURCE_LABEL: Record<SettingSource, string> = {
  default: 'Benchtop default',
  team: 'team file',
  user: 'your settings',
  project: 'this project',
};

/**
 * The effective settings, layered team file → your settings → the open project, with where each
 * value came from, so nobody wonders why a session went to the GPU box.
 */
export function SettingOrigins() {
  const { project } = useApp();
  const dir = project?.dir;
  const view = useTeamSettings(dir);
  return (
    <section className="card" aria-labelledby="setting-origins">
      <h2 id="setting-origins">Where each value comes from</h2>
      {view.error && <ErrorPanel error={view.error} />}
      {view.data && (
        <>
          <p className="muted">
            {view.data.team
              ? `Team file${view.data.team.name ? ` of ${view.data.team.name}` : ''}: ${view.data.team.source}`
              : 'No team file: a project can commit one as .benchtop/team.json.'}
          </p>
          <DataTable label="Effective settings" columns={['Setting', 'Value', 'From']}>
            {view.data.values.map((v) => (
              <tr key={v.key}>
                <td><code>{v.key}</code></td>
                <td>{v.value}</td>
                <td title={v.from}>{SOURCE_LABEL[v.source]}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}
