import { app } from 'electron';
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
  // The OS opens benchtop:// links with the installed app (the installers register it too). A
  // source checkout or a test run does not take over the desktop's handler: there, links arrive on
  // the command line (`npm start -- 'benchtop://…'`) or through `benchtop open-link`.
  if (app.isPackaged && !app.isDefaultProtocolClient(LINK_SCHEME) && !app.setAsDefaultProtocolClient(LINK_SCHEME)) {
    console.warn(`Benchtop: could not register as the ${LINK_SCHEME}:// handler; the installer's registration still applies`);
  }
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
