/**
 * What `benchtop init` / projectCreate writes. The devcontainer.json stays a plain Dev Containers file
 * (VS Code, Codespaces and DevPod open it too); Benchtop's own keys sit under customizations.benchtop
 * with their defaults written out, so people see what they can change.
 */
export const DEFAULT_TEMPLATE_IMAGE = 'ghcr.io/your-team/analysis:latest';

export function devcontainerTemplate(name: string, image: string): string {
  return `// Dev Container for ${name}, opened by Benchtop (and by VS Code, Codespaces, DevPod).
// Reference: https://containers.dev/implementors/json_reference/
{
  "name": ${JSON.stringify(name)},
  // The team's analysis image. Pin it to a digest with \`benchtop pin\` so everyone gets the same one.
  "image": ${JSON.stringify(image)},

  // What this project needs at least from the machine it runs on. Benchtop's machine check compares
  // them; they are not caps (the session may use the whole machine unless customizations.benchtop.limits says otherwise).
  "hostRequirements": {
    "cpus": 2,
    "memory": "4gb",
    "storage": "16gb",
    "gpu": "optional"
  },

  "containerEnv": {},
  "forwardPorts": [],

  "customizations": {
    "benchtop": {
      // Folder of notebooks, synced to wherever the session runs.
      "notebooks": "notebooks",
      // The exact package list; must match the image's copy (see \`benchtop lock status\`).
      "lockfile": "environment.lock",
      "jupyter": {
        // Jupyter is published on 127.0.0.1 only, on a free port Benchtop picks. Set "port" to
        // always use one port on this computer instead, e.g. "port": 8890.
        "args": []
      },
      // Stop the session after this many minutes with every kernel idle (0: never).
      "idleMinutes": 60
    }
  }
}
`;
}

/**
 * The lines added to .gitignore: Benchtop's per-machine state inside the project is ignored, but the
 * team file beside it (.benchtop/team.json) is committed, so the folder's contents are ignored rather
 * than the folder (git cannot re-include a file of an ignored folder).
 */
export const GITIGNORE_LINES = ['.benchtop/*', '!.benchtop/team.json'];
