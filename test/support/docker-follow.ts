import type Docker from 'dockerode';

export type DockerStreamEvent = { aux?: { Digest?: string }; error?: string };

/** Waits for a build or push stream to end; an `error` line (sent with HTTP 200) rejects. */
export function followDockerStream(docker: Docker, stream: NodeJS.ReadableStream): Promise<DockerStreamEvent[]> {
  return new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (error: Error | null, events: DockerStreamEvent[]) => {
      if (error) return reject(error);
      const failed = events.find((e) => e.error);
      return failed ? reject(new Error(failed.error)) : resolve(events);
    }));
}
