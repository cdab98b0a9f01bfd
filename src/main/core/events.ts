import { EventEmitter } from 'node:events';
import type { EventMap, EventName } from '../../shared/ipc';

/** Typed events from the core to whoever shows them (the window, the test bridge, the CLI). */
export class EventBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    // Each open window or bridge client adds one listener per event; keep Node's leak warning sane.
    this.#emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    this.#emitter.emit(event, payload);
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    this.#emitter.on(event, listener);
    return () => this.#emitter.off(event, listener);
  }
}
