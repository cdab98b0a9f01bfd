import { isAllowedNavigation } from './navigation';

/** What is known about the frame a message came from. */
export interface SenderFrame {
  url: string;
  /** False for iframes and other child frames. */
  isTopFrame: boolean;
  /** The id of the WebContents that sent it. */
  webContentsId: number;
}

/**
 * Accepts a message only from the top frame of one of the app's own windows showing the app's own page.
 * An iframe, a notebook window, or any page that navigated elsewhere is refused.
 */
export function isAppSender(frame: SenderFrame | null | undefined, appUrl: string, appWebContentsIds: ReadonlySet<number>): boolean {
  if (!frame || !frame.isTopFrame) return false;
  if (!appWebContentsIds.has(frame.webContentsId)) return false;
  return isAllowedNavigation(frame.url, [appUrl]);
}
