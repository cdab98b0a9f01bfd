/**
 * `benchtop://` links a lead sends: `benchtop://open?repo=<git https URL>&ref=<branch or tag>` clones a
 * project and starts it; `benchtop://join?team=<https URL of a team file>` joins a team's settings and
 * hosts. Nothing happens before the user has seen the plan and confirmed it.
 */

import type { TeamHostJoinResult } from './team';

/** A link that passed the allow-list. */
export type ParsedLink =
  | { action: 'open'; repo: string; ref?: string; /** The folder name the clone gets. */ name: string }
  | { action: 'join'; team: string };

/** One host the team file lists, as the consent dialog shows it. */
export interface LinkPlanHost {
  id: string;
  /** `slurm`: a Slurm cluster's login node (shown as a cluster). */
  kind?: 'slurm';
  address: string;
  fingerprints: string[];
}

/** What confirming a link will do, for the consent dialog (and the CLI's question). */
export interface LinkPlan {
  /** Pass back to linkConfirm / linkCancel; valid until confirmed, cancelled or an hour old. */
  planId: string;
  link: ParsedLink;
  /** open: the repository (as in the link), the ref, and the exact commit that will be checked out. */
  repo?: string;
  ref?: string;
  commit?: string;
  /** open: the project folder the clone will become (the user may pick another parent folder). */
  targetDir?: string;
  /** open: the project's name and its pinned image (reference with digest), when it pins one. */
  projectName?: string;
  image?: string;
  digest?: string;
  /** How much the pull downloads at most (compressed layers), when the registry answered. */
  imageSizeBytes?: number;
  /** The registry the image comes from (or the team file's registry). */
  registry?: string;
  /** The team file the repo carries (open) or the link names (join). */
  teamSource?: string;
  teamName?: string;
  /** Hosts of the team file, trusted by exactly these fingerprints when confirmed. */
  hosts: LinkPlanHost[];
  /** Each thing that will happen on confirm, in order, in words. */
  steps: string[];
  /** Things the user should know (an unpinned image, a project warning). */
  warnings: string[];
}

/** What joining the team did for one of its hosts. */
export type LinkHostResult = TeamHostJoinResult;

export interface LinkConfirmResult {
  /** open: the project folder, ready for the start flow (check → pull → start → notebook). */
  dir?: string;
  /** What became of the team file's hosts. */
  hosts: LinkHostResult[];
}

export interface LinksInvoke {
  /** Delivers a link (from the OS, the bridge, or pasted): it is queued and announced with `linkOpened`. */
  linkOpen: (req: { url: string }) => { queued: true };
  /** Links delivered before the window listened (e.g. the one the app was started with); each is given once. */
  linkPending: (req: void) => { urls: string[] };
  /** Checks the link and prepares what it would do (open: a clone in a private staging folder). Changes nothing else. */
  linkPlan: (req: { opId: string; url: string; parentDir?: string }) => LinkPlan;
  /** Does what the plan said: moves the clone to `dir` (never over a non-empty folder), adds the team's hosts. */
  linkConfirm: (req: { opId: string; planId: string; dir?: string }) => LinkConfirmResult;
  /** Forgets a plan and removes its staging folder. */
  linkCancel: (req: { planId: string }) => { cancelled: boolean };
}

export interface LinksEvents {
  /** A link arrived (open-url, second-instance, the bridge): the window shows its consent dialog. */
  linkOpened: { url: string };
}
