/** What the update feed says compared with this app. */
export interface UpdateCheck {
  current: string;
  latest?: string;
  releaseDate?: string;
  /** A newer version is published. */
  available: boolean;
  /** An update URL is set (Settings, or the team file's updateUrl). */
  configured: boolean;
  url?: string;
  /** Where the URL came from (your settings, or the team file's path/URL). */
  from?: string;
}

/** Whether the app may restart to install now, and what it waits for otherwise. */
export interface UpdateRestart {
  allowed: boolean;
  /** The syncs and moves running now, in words. */
  waitingFor: string[];
}

/** Where updates come from: your own setting, and the team file's (used when yours is empty). */
export interface UpdateSource {
  /** Your setting (settings.json updateUrl); empty: none. */
  url: string;
  teamUrl?: string;
  /** The team file that sets teamUrl. */
  teamSource?: string;
}

export interface UpdatesInvoke {
  updateCheck: (req: void) => UpdateCheck;
  updateSourceGet: (req: void) => UpdateSource;
  /** Sets (or with "" clears) your update URL: https, or http on this computer's loopback. */
  updateSourceSet: (req: { url: string }) => UpdateSource;
  updateRestartCheck: (req: void) => UpdateRestart;
}
