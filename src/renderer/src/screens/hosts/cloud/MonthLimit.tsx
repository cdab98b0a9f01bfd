import type { ErrorInfo } from '../../../../../shared/errors';
import { api } from '../../../api';
import { useCall } from '../../../hooks/useCall';
import { usd } from './cloud-steps';

export interface MonthSpend {
  limit: number;
  spent: number;
  over: boolean;
  error: ErrorInfo | null;
}

/**
 * This month's estimated spend of this install's VMs against the monthly limit of Settings → Cloud.
 * Without a limit nothing more is asked; with one, the spend comes with the options (`key` reloads it).
 */
export function useMonthSpend(projectDir: string | undefined, key: string): MonthSpend {
  const settings = useCall(() => api.cloudSettingsGet({ projectDir }), `cloud-settings-${projectDir ?? ''}-${key}`);
  const limit = settings.data?.monthlyLimit ?? 0;
  const options = useCall(limit > 0 ? () => api.cloudOptions({ projectDir }) : null, `cloud-spend-${projectDir ?? ''}-${limit}-${key}`);
  const spent = options.data?.spentThisMonth ?? 0;
  // Not configured yet is no error here: the section says so already.
  const error = options.error?.code === 'CLOUD_NOT_CONFIGURED' ? null : options.error;
  return { limit, spent, over: limit > 0 && options.data !== undefined && spent >= limit, error };
}

/** The warning shown above the VMs once the month's spend reaches the limit (or when it cannot be known). */
export function MonthLimitBanner({ spend }: { spend: MonthSpend }) {
  if (spend.error) {
    return (
      <p className="hint" role="status" aria-label="Monthly cloud limit">
        This month&apos;s cloud spend is unknown ({spend.error.code}: {spend.error.message}); your limit is {usd(spend.limit)}.
      </p>
    );
  }
  if (!spend.over) return null;
  return (
    <div className="banner warn" role="alert" aria-label="Monthly cloud limit">
      <p>
        Your cloud VMs have cost about <span className="num">{usd(spend.spent)}</span> this month, over your limit of <span className="num">{usd(spend.limit)}</span>.
        Starting or creating another VM adds to it; change the limit in Settings → Cloud.
      </p>
    </div>
  );
}
