import { app } from 'electron';
import { resolve } from 'node:path';
import { LINK_SCHEME, linksIn } from './links-argv';

/**
 * benchtop:// links reach the app three ways: on the command line of the first start (Windows,
 * Linux), on the command line of a second start that the single-instance lock turns into a
 * `second-instance` event (Windows, Linux, with the app running), and as macOS's `open-url` (which
 * can come before the app is ready). Each is handed to `deliver` (the core's LinkService), which
 * only queues it: the link is judged by the parser and acted on only after the user consents.
 */
export function installLinkHandling(deliver: () => ((url: string) => void) | null, show: () => void): { flush(): void } {
  const early: string[] = [...linksIn(process.argv)];
  const hand = (url: string) => {
    const to = deliver();
    if (to) to(url);
    else early.push(url);
  };
  // The OS opens benchtop:// links with this app. A source checkout registers the running Electron
  // with the app's folder as its argument, so links work from `npm start` too.
  const registered = app.isPackaged || !process.argv[1]
    ? app.setAsDefaultProtocolClient(LINK_SCHEME)
    : app.setAsDefaultProtocolClient(LINK_SCHEME, process.execPath, [resolve(process.argv[1])]);
  if (!registered) console.warn(`Benchtop: could not register as the ${LINK_SCHEME}:// handler`);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    hand(url);
    if (app.isReady()) show();
  });
  app.on('second-instance', (_event, argv) => {
    show();
    for (const url of linksIn(argv)) hand(url);
  });
  return {
    /** Hands over the links that came before the core existed. */
    flush() {
      for (const url of early.splice(0)) hand(url);
    },
  };
}
