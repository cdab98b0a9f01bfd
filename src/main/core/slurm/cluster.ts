import { BenchtopError } from '../errors';
import { commandFailure, submitRefused } from './failures';
import { parseLimits, assocCommand, QOS_COMMAND } from './sacctmgr';
import type { ClusterShell } from './shell';
import { parseSinfo, SINFO_COMMAND } from './sinfo';
import { parseSqueue, SQUEUE_COMMAND } from './squeue';
import { shq } from './job-script';
import type { SlurmClusterInfo, SlurmJob } from './types';
import { slurmTime } from './duration';

export interface SubmitRequest {
  script: string;
  jobName: string;
  partition?: string;
  account?: string;
  qos?: string;
  gpus: number;
  timeMinutes?: number;
  comment: string;
  /** The job's stdout/stderr file and working folder (the session's state folder). */
  stateDir: string;
  /** Folders made before submitting (the notebooks folder), so the job never races to make them. */
  makeDirs: string[];
  /**
   * A registry login for the pull, as Docker's config.json (one line of JSON): written to
   * `<stateDir>/registry/config.json` (0600, in the 0700 folder) from stdin, never on a command line.
   */
  registryAuth?: string;
}

/** A job's end as the accounting remembers it, after it left squeue. */
export interface JobEnd {
  state: string;
  exitCode: string;
}

const QUICK_MS = 20_000;

/**
 * The Slurm commands Benchtop runs on a cluster's login node, each with its answer parsed and its
 * failure coded (SLURM_UNREACHABLE: no controller or no tools; SLURM_BAD_ANSWER: an answer that
 * cannot be read; SLURM_SUBMIT_REFUSED: sbatch said no).
 */
export class SlurmCluster {
  /** `rest`: slurmrestd where the cluster offers it (rest.ts); it answers undefined when it cannot, and the CLI answers. */
  constructor(readonly shell: ClusterShell, readonly rest?: { jobs(): Promise<SlurmJob[] | undefined> }) {}

  /** Every job in the queue (all users), from slurmrestd's jobs list or `squeue --json` (the same shape). */
  async jobs(): Promise<SlurmJob[]> {
    const viaRest = await this.rest?.jobs();
    if (viaRest) return viaRest;
    return parseSqueue(await this.#run(SQUEUE_COMMAND), SQUEUE_COMMAND);
  }

  /** One job while squeue still knows it (running, pending, or ended within MinJobAge); undefined after. */
  async job(id: string): Promise<SlurmJob | undefined> {
    const command = `squeue --json --jobs=${Number(id)}`;
    const out = await this.shell.run(command, { timeoutMs: QUICK_MS });
    if (out.exitCode !== 0) {
      if (/Invalid job id/i.test(out.stderr)) return undefined;
      throw commandFailure(this.shell.label, command, out);
    }
    return parseSqueue(out.stdout, command).find((j) => j.id === String(Number(id)));
  }

  /** How a job ended, from the accounting (sacct), for jobs squeue no longer lists. */
  async jobEnd(id: string): Promise<JobEnd | undefined> {
    const command = `sacct --noheader --parsable2 --jobs=${Number(id)} --format=JobID,State,ExitCode`;
    const text = await this.#run(command);
    const line = text.split('\n').map((l) => l.split('|')).find((f) => f[0] === String(Number(id)));
    return line && line.length >= 3 ? { state: line[1].split(' ')[0], exitCode: line[2] } : undefined;
  }

  /** Submits a batch script (given on stdin, never as a file another user could read first); returns the job id. */
  async submit(req: SubmitRequest): Promise<string> {
    const args = [
      '--parsable',
      `--job-name=${shq(req.jobName)}`,
      `--comment=${shq(req.comment)}`,
      `--output=${shq(`${req.stateDir}/job.log`)}`,
      `--chdir=${shq(req.stateDir)}`,
      ...(req.partition ? [`--partition=${shq(req.partition)}`] : []),
      ...(req.account ? [`--account=${shq(req.account)}`] : []),
      ...(req.qos ? [`--qos=${shq(req.qos)}`] : []),
      ...(req.gpus > 0 ? [`--gres=gpu:${req.gpus}`] : []),
      ...(req.timeMinutes ? [`--time=${slurmTime(req.timeMinutes)}`] : []),
    ];
    const dirs = [req.stateDir, ...req.makeDirs].map(shq).join(' ');
    const auth = req.registryAuth?.replace(/\n/g, '');
    const authDir = shq(`${req.stateDir}/registry`);
    // The login is the first line of stdin, read by the shell itself (`read`, `printf` are builtins: no argv).
    const saveAuth = auth ? ` && (umask 077 && mkdir -p ${authDir} && IFS= read -r line && printf '%s\\n' "$line" > ${authDir}/config.json)` : '';
    const command = `mkdir -p ${dirs} && chmod 700 ${shq(req.stateDir)}${saveAuth} && sbatch ${args.join(' ')}`;
    const out = await this.shell.run(command, { stdin: auth ? `${auth}\n${req.script}` : req.script, timeoutMs: 60_000 });
    if (out.exitCode !== 0) {
      if (out.exitCode === 127) throw commandFailure(this.shell.label, 'sbatch', out);
      throw submitRefused(this.shell.label, out);
    }
    const id = /^(\d+)(?:;\S+)?\s*$/m.exec(out.stdout.trim())?.[1];
    if (!id) {
      throw new BenchtopError('SLURM_BAD_ANSWER', `sbatch --parsable on ${this.shell.label} answered "${out.stdout.trim().slice(0, 200)}", not a job id.`,
        'Run sbatch by hand on the login node; a wrapper script may print extra lines.');
    }
    return id;
  }

  /** Cancels a job (scancel); a job already gone is fine. */
  async cancel(id: string): Promise<void> {
    const command = `scancel ${Number(id)}`;
    const out = await this.shell.run(command, { timeoutMs: QUICK_MS });
    if (out.exitCode !== 0 && !/Invalid job id|already completing or completed/i.test(out.stderr)) throw commandFailure(this.shell.label, command, out);
  }

  /** Sets a job's time limit (scontrol update); the cluster's policy may refuse a longer one. */
  async setTimeLimit(id: string, minutes: number): Promise<void> {
    const command = `scontrol update JobId=${Number(id)} TimeLimit=${slurmTime(minutes)}`;
    const out = await this.shell.run(command, { timeoutMs: QUICK_MS });
    if (out.exitCode !== 0) {
      if (/Access\/permission denied|not allowed|Invalid time limit|exceeds/i.test(out.stderr)) {
        throw new BenchtopError('SLURM_SUBMIT_REFUSED', `${this.shell.label} refused the new time limit: ${out.stderr.trim()}`,
          'Only administrators may lengthen a job on most clusters; start a new session with a longer --time instead.');
      }
      throw commandFailure(this.shell.label, command, out);
    }
  }

  /** Partitions, GPU counts and the user's limits (the machine check of a cluster). */
  async info(): Promise<SlurmClusterInfo> {
    const user = this.shell.user();
    const [sinfo, assoc, qos] = await Promise.all([this.#run(SINFO_COMMAND), this.#run(assocCommand(user)), this.#run(QOS_COMMAND)]);
    const partitions = parseSinfo(sinfo);
    return { partitions, limits: parseLimits(user, assoc, qos), gpus: partitions.reduce((n, p) => n + p.gpus, 0) };
  }

  /** Reads small files of a job's state folder (`name=value` lines); absent files are left out. */
  async readState(stateDir: string, names: string[]): Promise<Record<string, string | undefined>> {
    const marker = '\u0001benchtop-file ';
    const command = names.map((n) => `printf '${marker.replace('\u0001', '\\001')}%s\\n' ${shq(n)}; cat ${shq(`${stateDir}/${n}`)} 2>/dev/null`).join('; ');
    // `; true`: a missing file is an answer (left out), not a failure.
    const text = await this.#run(`${command}; true`);
    const out: Record<string, string | undefined> = {};
    for (const part of text.split(marker).slice(1)) {
      const nl = part.indexOf('\n');
      const name = part.slice(0, nl);
      const body = part.slice(nl + 1);
      out[name] = body.length ? body : undefined;
    }
    return out;
  }

  async #run(command: string): Promise<string> {
    const out = await this.shell.run(command, { timeoutMs: QUICK_MS });
    if (out.exitCode !== 0) throw commandFailure(this.shell.label, command, out);
    return out.stdout;
  }
}

/** `key=value` lines → a record. */
export function keyValues(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}
