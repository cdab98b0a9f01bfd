import { useEffect, useState } from 'react';
import { api, errorInfo } from './api';
import type { AppInfo, ErrorInfo } from '../../shared/ipc';

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  useEffect(() => {
    api.appInfo().then(setInfo, (e: unknown) => setError(errorInfo(e)));
  }, []);
  return (
    <main>
      <h1>Benchtop</h1>
      {info && <p>Version {info.version}</p>}
      {error && <p role="alert">{error.code}: {error.message}</p>}
    </main>
  );
}
