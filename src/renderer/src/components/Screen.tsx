import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}

/** The first screen after the app loads leaves focus at the top, so the first Tab reaches the skip link. */
let navigatedOnce = false;

/** Every screen's frame: one h1 (the screen's accessible name), a line under it, actions on the right. */
export function Screen({ title, subtitle, actions, children }: Props) {
  const id = `screen-${title.toLowerCase().replace(/\W+/g, '-')}`;
  const heading = useRef<HTMLHeadingElement>(null);
  // A screen change is announced: the window title names it and its heading takes focus, so a
  // screen reader reads where the user landed and Tab continues from the top of the new screen.
  useEffect(() => {
    document.title = `${title} · Benchtop`;
    if (navigatedOnce) heading.current?.focus({ preventScroll: true });
    navigatedOnce = true;
  }, [title]);
  return (
    <section className="screen" aria-labelledby={id}>
      <header className="screen-header">
        <div>
          <h1 id={id} ref={heading} tabIndex={-1}>
            {title}
          </h1>
          {subtitle && <p className="subtitle">{subtitle}</p>}
        </div>
        {actions && <div className="screen-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

/** What a screen shows when there is nothing yet, with the one thing to do about it. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}
