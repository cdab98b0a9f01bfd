import { BenchtopError } from '../errors';
import type { BillingSku } from './sku-prices';

/** Compute Engine's service id in the Cloud Billing Catalog. */
export const COMPUTE_SERVICE_ID = '6F81-5844-456A';

const DEFAULT_ENDPOINT = 'https://cloudbilling.googleapis.com';

/** Where the Catalog API is: Google's unless BENCHTOP_BILLING_ENDPOINT (a private endpoint, or the tests' server) says otherwise. */
export function billingEndpoint(env: NodeJS.ProcessEnv): string {
  const raw = env.BENCHTOP_BILLING_ENDPOINT || DEFAULT_ENDPOINT;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
    return url.origin;
  } catch {
    throw new BenchtopError('INVALID_ARGUMENT', `BENCHTOP_BILLING_ENDPOINT is not a URL: ${raw}.`, 'Set it to http(s)://host[:port], or unset it to use cloudbilling.googleapis.com.');
  }
}

export interface FetchSkusInput {
  endpoint: string;
  /** The credential's request headers (Authorization, perhaps x-goog-user-project). */
  headers: Record<string, string>;
  /** The project billed for the call when the credential names none (user credentials need one). */
  quotaProject?: string;
  signal?: AbortSignal;
  /** Safety stop: Compute Engine has a few thousand SKUs (a handful of pages). */
  maxPages?: number;
}

/**
 * Every public SKU of Compute Engine, page after page (`nextPageToken`), in USD, with the caller's
 * OAuth token. An HTTP failure is CLOUD_ERROR (CLOUD_PERMISSION_DENIED for 401/403) with the API's message.
 */
export async function fetchComputeSkus(i: FetchSkusInput): Promise<BillingSku[]> {
  const skus: BillingSku[] = [];
  let pageToken = '';
  for (let page = 0; page < (i.maxPages ?? 50); page += 1) {
    const url = new URL(`/v1/services/${COMPUTE_SERVICE_ID}/skus`, i.endpoint);
    url.searchParams.set('currencyCode', 'USD');
    url.searchParams.set('pageSize', '5000');
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    let res: Response;
    try {
      const headers: Record<string, string> = { ...i.headers, accept: 'application/json' };
      if (i.quotaProject && !Object.keys(i.headers).some((h) => h.toLowerCase() === 'x-goog-user-project')) headers['x-goog-user-project'] = i.quotaProject;
      res = await fetch(url, { headers, signal: i.signal });
    } catch (error) {
      throw new BenchtopError('CLOUD_ERROR', `The Cloud Billing Catalog API at ${i.endpoint} did not answer: ${error instanceof Error ? error.message : String(error)}.`,
        'Check the network; Benchtop uses the prices shipped with the app meanwhile.', { cause: error });
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // not JSON: the raw start of the body is the message
      }
      const denied = res.status === 401 || res.status === 403;
      throw new BenchtopError(denied ? 'CLOUD_PERMISSION_DENIED' : 'CLOUD_ERROR', `The Cloud Billing Catalog API answered ${res.status}: ${message}`,
        denied ? `Enable the Cloud Billing API (cloudbilling.googleapis.com)${i.quotaProject ? ` in project ${i.quotaProject}` : ''}, and allow your account to use it (serviceusage.services.use); Benchtop uses the shipped prices meanwhile.`
          : 'Try again later; Benchtop uses the prices shipped with the app meanwhile.');
    }
    let body: { skus?: BillingSku[]; nextPageToken?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (error) {
      throw new BenchtopError('CLOUD_ERROR', `The Cloud Billing Catalog API answered something that is not JSON (${text.slice(0, 80)}).`, 'Check BENCHTOP_BILLING_ENDPOINT, or unset it.', { cause: error });
    }
    skus.push(...(body.skus ?? []));
    pageToken = body.nextPageToken ?? '';
    if (!pageToken) return skus;
  }
  throw new BenchtopError('CLOUD_ERROR', `The Cloud Billing Catalog API kept answering pages after ${i.maxPages ?? 50}.`, 'Benchtop uses the prices shipped with the app; try again later.');
}
