import type { Clock } from './clock';
import { systemClock } from './clock';
import { headlessDesktop, type Desktop } from './desktop';
import { EngineService } from './engine/service';
import { EventBus } from './events';
import { Operations } from './operations';
import { noSecretBox, type SecretBox } from './secrets';
import type { SettingsStore } from './settings/store';

export interface CoreDeps {
  settings: SettingsStore;
  shell: 'electron' | 'bridge' | 'cli';
  secrets?: SecretBox;
  engines?: EngineService;
  clock?: Clock;
  desktop?: Desktop;
  env?: NodeJS.ProcessEnv;
}

/**
 * Everything Benchtop does, in plain Node. The Electron main process, the CLI, the test bridge,
 * the tests and the benchmarks all build one of these; nothing in here imports 'electron'.
 * Each domain service is built here from the shared pieces, so its dependencies stay visible.
 */
export class Core {
  readonly shell: CoreDeps['shell'];
  readonly settings: SettingsStore;
  readonly secrets: SecretBox;
  readonly engines: EngineService;
  readonly clock: Clock;
  readonly desktop: Desktop;
  readonly env: NodeJS.ProcessEnv;
  readonly bus = new EventBus();
  readonly ops = new Operations();

  constructor(deps: CoreDeps) {
    this.shell = deps.shell;
    this.settings = deps.settings;
    this.secrets = deps.secrets ?? noSecretBox;
    this.engines = deps.engines ?? new EngineService();
    this.clock = deps.clock ?? systemClock;
    this.desktop = deps.desktop ?? headlessDesktop;
    this.env = deps.env ?? process.env;
  }

  /** Stops background work (watchers, idle timers, connections) so the process can exit. */
  async close(): Promise<void> {
    this.ops.cancelAll();
    await this.engines.close();
  }
}
