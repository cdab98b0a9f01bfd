import type { OperationEventName } from '../../shared/follow-operation';
import type { EventMap, OperationStepName } from '../../shared/ipc';
import type { EventBus } from './events';
import { silentLogger, type Logger } from './log/logger';

/** An operation's progress events (everything it reports besides its steps). */
export type ProgressEventName = Exclude<OperationEventName, 'operationStep'>;
type WithoutOpId<T> = T extends unknown ? Omit<T, 'opId'> : never;

export interface OperationInit {
  id: string;
  /** Aborted when the user cancels (`operationCancel`, Ctrl-C); never aborted when absent. */
  signal?: AbortSignal;
  /** Where steps and progress go; nowhere when absent (a sub-task nobody follows). */
  bus?: EventBus;
  /** The core logger; the operation's lines carry its id. */
  log?: Logger;
}

/**
 * One long call (a start, a pull, a move, a cloud VM…), made once where the call enters the core
 * (the IPC/bridge handlers, the CLI) and handed to the services: its id, the signal that cancels it,
 * its typed step and progress events on the event bus (keyed by the id), and the logger.
 */
export class Operation {
  readonly id: string;
  readonly signal: AbortSignal;
  /** The core logger with this operation's id as its scope. */
  readonly log: Logger;
  readonly #bus: EventBus | undefined;
  readonly #coreLog: Logger;

  constructor(init: OperationInit) {
    this.id = init.id;
    this.signal = init.signal ?? new AbortController().signal;
    this.#bus = init.bus;
    this.#coreLog = init.log ?? silentLogger;
    this.log = this.#coreLog.child(init.id);
  }

  /** The operation moved to its next step (`detail`: what exactly, a line of output, a queue position). */
  step(name: OperationStepName, detail?: string): void {
    this.log.debug(`step ${name}${detail ? `: ${detail}` : ''}`);
    this.#bus?.emit('operationStep', detail === undefined ? { opId: this.id, step: name } : { opId: this.id, step: name, detail });
  }

  /** A progress event of this operation (pull bytes, sync files, a check result, log lines…). */
  progress<E extends ProgressEventName>(event: E, payload: WithoutOpId<EventMap[E]>): void {
    this.#bus?.emit(event, { ...payload, opId: this.id } as unknown as EventMap[E]);
  }

  /**
   * A sub-step with its own events (id `<this id>:<name>`), cancelled with this operation: following
   * this operation follows it too. `signal` replaces the shared one for a clean-up that must run
   * after a cancel (putting a session back where it was).
   */
  child(name: string, signal: AbortSignal = this.signal): Operation {
    return new Operation({ id: `${this.id}:${name}`, signal, bus: this.#bus, log: this.#coreLog });
  }
}
