/**
 * The steps a long operation reports (`operationStep` events, keyed by the operation's id). A child
 * operation (a sync inside a start, the start inside a move) has the id `<parent id>:<child name>`,
 * so whoever follows an operation sees its children's events too.
 */

/** A session start (`sessionUp`, `sessionRestart`): `sync` only on a host, before the container starts. */
export type SessionStepName = 'check' | 'pull' | 'sync' | 'start' | 'gpu-queue' | 'wait-jupyter' | 'open';

/** A move between targets, in order; MOVE_FAILED names the one that failed. */
export type MoveStepName = 'sync-from-source' | 'pull' | 'sync-to-destination' | 'start-destination' | 'stop-source' | 'final-sync';

/** Cloud VMs: create, start, stop, resize, delete, and bringing a VM up as a host. */
export type CloudStepName =
  | 'credentials' | 'zones' | 'quota' | 'cost' | 'create' | 'boot' | 'ssh' | 'docker' | 'ready' | 'start' | 'stop' | 'resize' | 'delete';

/** A notebooks sync (`sessionSync`, `benchtop sync`, a start's or a move's sync): waiting for the sync of the same project and target already under way. */
export type SyncStepName = 'wait-for-sync';

export type OperationStepName = SessionStepName | MoveStepName | CloudStepName | SyncStepName;

/** An operation moved to its next step (for onboarding's step list, the CLI's progress lines). */
export interface OperationStep {
  opId: string;
  step: OperationStepName;
  detail?: string;
}
