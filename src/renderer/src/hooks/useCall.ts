import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import { errorInfo } from '../api';

export interface CallState<T> {
  data: T | undefined;
  error: ErrorInfo | null;
  loading: boolean;
  /** Runs the call again (after a change, or from a Retry button). */
  reload: () => void;
}

/**
 * Runs one read call when the component mounts (and when `key` changes); answers that arrive after
 * unmount or after a newer reload are dropped, so a slow answer never overwrites a fresh one.
 */
export function useCall<T>(call: (() => Promise<T>) | null, key: string): CallState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [loading, setLoading] = useState(call !== null);
  const [round, setRound] = useState(0);
  const latest = useRef(call);
  latest.current = call;

  useEffect(() => {
    const run = latest.current;
    if (!run) {
      setLoading(false);
      return;
    }
    let live = true;
    setLoading(true);
    run().then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(errorInfo(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [key, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, loading, reload };
}

/**
 * Runs one action (a button's work): tracks busy and the last error, and hands back the result.
 * A failed action resolves to undefined; its error is kept for the ErrorPanel.
 */
export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const run = useCallback(async <T,>(label: string, work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(label);
    setError(null);
    try {
      return await work();
    } catch (e) {
      setError(errorInfo(e));
      return undefined;
    } finally {
      setBusy(null);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, run, clear };
}
