import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { CacheEvents } from './hooks/useCacheEvents';
import { createQueryClient } from './lib/queries';
import './styles/theme.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/errors.css';
import './styles/tables.css';
import './styles/progress.css';
import './styles/welcome.css';
import './styles/screens.css';
import './styles/clusters.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    {/* One query cache for the reads screens share, kept current by one session-event subscription. */}
    <QueryClientProvider client={createQueryClient()}>
      <CacheEvents />
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
