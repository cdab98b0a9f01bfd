import type { LinkPlan, LinkPlanHost, ParsedLink } from '../../../shared/contract/links';
import type { TeamFile } from '../../../shared/contract/team';
import { parseImageRef } from '../registry/image-ref';

/** What the registry said about the pinned image before consent: its size, or why it will need attention. */
export interface ImageProbe {
  sizeBytes?: number;
  warning?: string;
}

/** What a project in a staged clone says about itself (only what the consent dialog shows). */
export interface StagedProject {
  name: string;
  image: string;
  pinned: { repository: string; digest: string; version?: string } | null;
  warnings: string[];
}

function hostsOf(team: TeamFile | undefined): LinkPlanHost[] {
  return (team?.hosts ?? []).map((h) => ({ id: h.id, address: h.address, fingerprints: [...h.fingerprints], ...(h.kind === 'slurm' ? { kind: h.kind } : {}) }));
}

/** The consent step for one host: a cluster is named as one (its login node is what is trusted). */
function addStep(h: LinkPlanHost): string {
  const what = h.kind === 'slurm' ? `Add Slurm cluster ${h.id} (login node ${h.address}, as you)` : `Add host ${h.id} (${h.address})`;
  return `${what}, trusting only key ${h.fingerprints.join(' or ')}`;
}

function registryOf(image: string): string | undefined {
  try {
    return parseImageRef(image).registry;
  } catch {
    return undefined;
  }
}

/** The plan of an open link, from the clone staged for it: every step in the order it will happen. */
export function openPlan(
  planId: string,
  link: Extract<ParsedLink, { action: 'open' }>,
  staged: { commit: string; targetDir: string; project: StagedProject; team?: TeamFile; image?: ImageProbe },
): LinkPlan {
  const { project, team } = staged;
  const size = staged.image?.sizeBytes;
  const hosts = hostsOf(team);
  const registry = team?.registry ?? registryOf(project.image);
  const steps = [`Clone ${link.repo}${link.ref ? ` (${link.ref})` : ''} at commit ${staged.commit.slice(0, 12)} into ${staged.targetDir}`];
  for (const h of hosts) steps.push(addStep(h));
  steps.push('Check this computer');
  const amount = size ? `, up to ${(size / 1e6).toFixed(0)} MB` : '';
  steps.push(project.pinned ? `Pull ${project.pinned.repository}@${project.pinned.digest}${registry ? ` from ${registry}` : ''} (unless it is here already${amount})` : `Pull ${project.image}${amount}`);
  steps.push('Start the Jupyter session on this computer and open the notebook');
  const warnings = [...project.warnings, ...(staged.image?.warning ? [staged.image.warning] : [])];
  if (!project.pinned) warnings.push(`The project does not pin its image by digest (${project.image}): what runs may change later.`);
  const plan: LinkPlan = {
    planId, link, repo: link.repo, commit: staged.commit, targetDir: staged.targetDir, projectName: project.name, image: project.image,
    hosts, steps, warnings,
  };
  if (link.ref) plan.ref = link.ref;
  if (project.pinned) plan.digest = project.pinned.digest;
  if (size) plan.imageSizeBytes = size;
  if (registry) plan.registry = registry;
  if (team) {
    plan.teamSource = team.source;
    if (team.name) plan.teamName = team.name;
  }
  return plan;
}

/** The plan of a join link: the team file becomes this install's team setting; its hosts are added. */
export function joinPlan(planId: string, link: Extract<ParsedLink, { action: 'join' }>, team: TeamFile): LinkPlan {
  const hosts = hostsOf(team);
  const steps = [`Use the team file ${link.team} for your settings (registry, hosts, cloud, defaults)`];
  for (const h of hosts) steps.push(addStep(h));
  const plan: LinkPlan = { planId, link, teamSource: team.source, hosts, steps, warnings: [] };
  if (team.name) plan.teamName = team.name;
  if (team.registry) plan.registry = team.registry;
  return plan;
}
