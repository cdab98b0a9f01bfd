import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchtopError, toErrorInfo } from '../errors';
import type { Logger } from '../log/logger';
import { billingEndpoint, fetchComputeSkus } from './billing-fetch';
import { SHIPPED_CATALOG, type PriceCatalog } from './prices';
import { pricesFromSkus } from './sku-prices';

/** A refreshed catalog is used for a week, then fetched again when a price is next shown. */
export const REFRESH_AFTER_MS = 7 * 24 * 3_600_000;
const FETCH_TIMEOUT_MS = 30_000;

export interface PriceSourceDeps {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  now: () => number;
  log?: Logger;
}

export interface PriceRefresh {
  catalog: PriceCatalog;
  /** Why the prices shown are not fresh from the Catalog API (a failed refresh), for the UI and CLI. */
  note?: string;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function valid(value: unknown): value is PriceCatalog & { fetchedAt: number } {
  const c = value as Partial<PriceCatalog & { fetchedAt: number }>;
  return !!c && typeof c.date === 'string' && typeof c.region === 'string' && typeof c.fetchedAt === 'number'
    && !!c.machineTypes && typeof c.machineTypes === 'object' && !!c.gpus && typeof c.gpus === 'object' && !!c.diskPerGbMonth;
}

/**
 * The prices in force: the catalog refreshed from the Cloud Billing Catalog API and cached in the
 * data folder (`cloud/price-catalog.json`, with its date), else the one shipped with the app. A
 * refresh that cannot happen (no credentials, API off, network) is logged with its reason and
 * leaves the prices as they were; it never fails the caller.
 */
type Cached = PriceCatalog & { fetchedAt: number; otherRegions?: Record<string, PriceCatalog> };

export class PriceSource {
  readonly #d: PriceSourceDeps;
  #cached?: Cached | null;
  #note?: string;
  #inFlight?: Promise<PriceRefresh>;

  constructor(deps: PriceSourceDeps) {
    this.#d = deps;
  }

  get #file(): string {
    return join(this.#d.dataDir, 'cloud', 'price-catalog.json');
  }

  #readCache(): Cached | null {
    if (this.#cached !== undefined) return this.#cached;
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.#file, 'utf8'));
      if (!valid(parsed)) throw new Error('not a price catalog');
      this.#cached = { ...parsed, origin: 'billing-api' };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.#d.log?.warn(`cached price catalog ${this.#file} not used: ${(error as Error).message}`);
      this.#cached = null;
    }
    return this.#cached;
  }

  /** The catalog in force now (no network): the region's when the refresh priced it, else the main one. */
  current(region?: string): PriceCatalog {
    const cached = this.#readCache();
    return (region && cached?.otherRegions?.[region]) || (cached ?? SHIPPED_CATALOG);
  }

  /** Why the last refresh did not happen, if it did not. */
  note(): string | undefined {
    return this.#note;
  }

  /**
   * Fetches the prices for `region` unless the cached ones are for it and younger than a week
   * (`force`: fetch anyway). `headers` gives the credentials' request headers (its failure is a reason
   * too); `quotaProject` is billed for the call when the credentials name none.
   */
  refresh(region: string, headers: () => Promise<Record<string, string>>, quotaProject?: string, force = false, signal?: AbortSignal): Promise<PriceRefresh> {
    const cached = this.#readCache();
    if (!force && cached && cached.region === region && this.#d.now() - cached.fetchedAt < REFRESH_AFTER_MS) return Promise.resolve({ catalog: cached });
    this.#inFlight ??= this.#fetch(region, headers, quotaProject, signal).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(region: string, headers: () => Promise<Record<string, string>>, quotaProject: string | undefined, signal?: AbortSignal): Promise<PriceRefresh> {
    try {
      const endpoint = billingEndpoint(this.#d.env);
      const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
      const skus = await fetchComputeSkus({ endpoint, headers: await headers(), quotaProject, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      const { catalog, missing } = pricesFromSkus(skus, region, SHIPPED_CATALOG, day(this.#d.now()));
      const all = Object.keys(SHIPPED_CATALOG.machineTypes).length + Object.keys(SHIPPED_CATALOG.gpus).length + 1;
      if (missing.length >= all) {
        throw new BenchtopError('CLOUD_ERROR', `The Cloud Billing Catalog API listed ${skus.length} Compute Engine SKUs, none of them for Benchtop's machine types and GPUs in ${region}.`,
          'Check the preferred zones (their region decides the prices); Benchtop uses the shipped prices meanwhile.');
      }
      if (missing.length) this.#d.log?.warn(`price refresh: no SKU in ${region} for ${missing.join(', ')}; their shipped prices are kept`);
      // Every other region the GPU SKUs name, so a VM that landed elsewhere (the zone sweep) is priced at its region's rates.
      const otherRegions: Record<string, PriceCatalog> = {};
      const regions = new Set(skus.filter((s) => s.category?.resourceGroup === 'GPU').flatMap((s) => s.serviceRegions ?? []));
      for (const other of regions) {
        if (other === region || other === 'global') continue;
        const priced = pricesFromSkus(skus, other, SHIPPED_CATALOG, catalog.date);
        if (priced.missing.length < all) otherRegions[other] = priced.catalog;
      }
      const stored: Cached = { ...catalog, fetchedAt: this.#d.now(), otherRegions };
      await mkdir(join(this.#d.dataDir, 'cloud'), { recursive: true, mode: 0o700 });
      const temp = `${this.#file}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(stored, null, 2)}\n`);
      await rename(temp, this.#file);
      this.#cached = stored;
      this.#note = undefined;
      this.#d.log?.info(`price catalog refreshed from the Cloud Billing Catalog API: ${skus.length} SKUs, ${region}, ${stored.date}`);
      return { catalog: stored };
    } catch (error) {
      const info = toErrorInfo(error);
      const fallback = this.current();
      this.#note = `Prices not refreshed (${info.code}: ${info.message}); showing the ${fallback.origin === 'billing-api' ? 'last fetched' : 'shipped'} prices of ${fallback.date}.`;
      this.#d.log?.warn(`price refresh failed, using the ${fallback.origin === 'billing-api' ? 'cached' : 'shipped'} catalog of ${fallback.date}: ${info.code}: ${info.message}`);
      return { catalog: fallback, note: this.#note };
    }
  }
}
