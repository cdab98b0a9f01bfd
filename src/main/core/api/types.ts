import type { Channel, RequestOf, ResultOf } from '../../../shared/ipc';

export type Handler<K extends Channel> = (request: RequestOf<K>) => Promise<ResultOf<K>> | ResultOf<K>;

/** Handlers for the calls of one contract domain (e.g. `HandlersFor<EngineInvoke>`). */
export type HandlersFor<M> = { [K in keyof M & Channel]: Handler<K> };

export type Handlers = HandlersFor<Record<Channel, unknown>>;
