import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a join-link spec needs: its own known_hosts (empty) and ssh config, and the team file on loopback. */
export interface TeamLinkFixture {
  knownHosts: string;
  sshConfig: string;
  /** The benchtop://join link for the served team file. */
  link: string;
  close(): Promise<void>;
}

/** Serves `team` as /team.json on 127.0.0.1 and writes an empty known_hosts and `sshConfig`. */
export async function teamLinkFixture(team: object, sshConfig: string): Promise<TeamLinkFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'bt-e2e-team-'));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, '');
  writeFileSync(join(dir, 'config'), sshConfig);
  const body = JSON.stringify(team);
  const server = createServer((req, res) => void (req.url === '/team.json' ? res.writeHead(200, { 'content-type': 'application/json' }).end(body) : res.writeHead(404).end()));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const teamUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/team.json`;
  return {
    knownHosts,
    sshConfig: join(dir, 'config'),
    link: `benchtop://join?team=${encodeURIComponent(teamUrl)}`,
    async close() {
      await new Promise((done) => server.close(done));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
