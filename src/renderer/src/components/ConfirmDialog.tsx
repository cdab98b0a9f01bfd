import { useCallback, useRef, useState, type ReactNode } from 'react';
import { Dialog } from './Dialog';

export interface ConfirmRequest {
  /** The question, naming the thing: "Stop basic-analysis on local?" */
  title: string;
  /** What is lost for good, one item a line: running kernels, unsynced changes, the image other projects use. */
  lost: readonly string[];
  /** The destructive button's label, a verb: "Stop session". */
  confirmLabel: string;
}

interface Props {
  request: ConfirmRequest | null;
  onAnswer(confirmed: boolean): void;
}

/**
 * Asks before a destructive action, naming what will be lost. Cancel comes first and takes focus, so
 * Enter or Escape on an unexpected dialog loses nothing; closing gives focus back to the opener.
 */
export function ConfirmDialog({ request, onAnswer }: Props) {
  return (
    <Dialog title={request?.title ?? ''} open={request !== null} onClose={() => onAnswer(false)}>
      {request && (
        <>
          <p>This cannot be undone. It loses:</p>
          <ul className="confirm-lost">
            {request.lost.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
          <div className="dialog-actions">
            {/* The safe answer takes focus: a stray Enter loses nothing. */}
            <button type="button" className="btn" onClick={() => onAnswer(false)} autoFocus>
              Cancel
            </button>
            <button type="button" className="btn danger" onClick={() => onAnswer(true)}>
              {request.confirmLabel}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}

/**
 * `ask(request)` opens the confirmation and resolves with the answer; render `dialog` once in the
 * screen. Each question is answered once (closing the dialog after a confirm is not a second answer).
 */
export function useConfirm(): { ask(request: ConfirmRequest): Promise<boolean>; dialog: ReactNode } {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const answer = useRef<((confirmed: boolean) => void) | null>(null);
  const ask = useCallback((next: ConfirmRequest) => {
    answer.current?.(false);
    setRequest(next);
    return new Promise<boolean>((resolve) => (answer.current = resolve));
  }, []);
  const onAnswer = useCallback((confirmed: boolean) => {
    const resolve = answer.current;
    answer.current = null;
    setRequest(null);
    resolve?.(confirmed);
  }, []);
  return { ask, dialog: <ConfirmDialog request={request} onAnswer={onAnswer} /> };
}
