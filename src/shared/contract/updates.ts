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

export interface UpdatesInvoke {
  updateCheck: (req: void) => UpdateCheck;
  updateRestartCheck: (req: void) => UpdateRestart;
}
