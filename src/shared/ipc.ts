/**
 * The one IPC contract between renderer, preload and main. Type-only: each domain's calls live in
 * ./contract/<domain>.ts and are joined here. Every call takes one request value and answers an
 * Envelope (see ./errors.ts); events flow main → renderer and are keyed by an operation id.
 */
import type { AppInvoke } from './contract/app';
import type { CloudInvoke } from './contract/cloud';
import type { ClustersEvents, ClustersInvoke } from './contract/clusters';
import type { EditorInvoke } from './contract/editor';
import type { EngineInvoke } from './contract/engine';
import type { GpusEvents, GpusInvoke } from './contract/gpus';
import type { HostsEvents, HostsInvoke } from './contract/hosts';
import type { ImagesInvoke } from './contract/images';
import type { LinksEvents, LinksInvoke } from './contract/links';
import type { MachineEvents, MachineInvoke } from './contract/machine';
import type { ProjectInvoke } from './contract/project';
import type { SessionsEvents, SessionsInvoke } from './contract/sessions';
import type { TeamInvoke } from './contract/team';
import type { UpdatesInvoke } from './contract/updates';

export interface InvokeMap
  extends AppInvoke,
    EngineInvoke,
    MachineInvoke,
    ProjectInvoke,
    ImagesInvoke,
    SessionsInvoke,
    TeamInvoke,
    HostsInvoke,
    GpusInvoke,
    CloudInvoke,
    ClustersInvoke,
    LinksInvoke,
    EditorInvoke,
    UpdatesInvoke {}

export interface EventMap extends MachineEvents, SessionsEvents, HostsEvents, GpusEvents, LinksEvents, ClustersEvents {}

export type Channel = keyof InvokeMap;
export type EventName = keyof EventMap;
export type RequestOf<K extends Channel> = Parameters<InvokeMap[K]>[0];
export type ResultOf<K extends Channel> = ReturnType<InvokeMap[K]>;

/** What the preload exposes as `window.benchtop`: one async function per call, plus `on`. */
export type BenchtopApi = {
  [K in Channel]: RequestOf<K> extends void ? () => Promise<ResultOf<K>> : (req: RequestOf<K>) => Promise<ResultOf<K>>;
} & {
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
};

export type * from './contract/app';
export type * from './contract/cloud';
export type * from './contract/clusters';
export type * from './contract/editor';
export type * from './contract/engine';
export type * from './contract/gpus';
export type * from './contract/hosts';
export type * from './contract/images';
export type * from './contract/links';
export type * from './contract/machine';
export type * from './contract/operations';
export type * from './contract/project';
export type * from './contract/sessions';
export type * from './contract/slurm';
export type * from './contract/team';
export type * from './contract/updates';
export type * from './errors';
