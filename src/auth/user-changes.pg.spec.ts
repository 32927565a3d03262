import { JwtService } from '@nestjs/jwt';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { openPgTestDatabase } from '../testing/pg-data-source';
import { AuthService } from './auth.service';
import { UserChanges } from './user-changes';
import { UserEntity } from './user.entity';

/** A test key (the real one comes from resolveJwtSecret). */
const KEY = 'k'.repeat(40);

describe('UserChanges (PostgreSQL): an admin change on one node ends the sessions on the others at once', () => {
  let dataSource: DataSource;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-user-changes-'));
  const nodes: { auth: AuthService; changes: UserChanges }[] = [];

  beforeAll(async () => {
    let url: string;
    ({ dataSource, url } = await openPgTestDatabase());
    const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dir, JWT_SECRET: KEY, PASSWORD_SCRYPT_LOG_N: '14' });
    // Two "nodes" on one database, each with its own user directory and LISTEN connection.
    for (let i = 0; i < 2; i++) {
      const auth = new AuthService(dataSource, new JwtService({ secret: KEY }), config);
      await auth.onModuleInit();
      const changes = new UserChanges(auth, config, dataSource);
      changes.onModuleInit();
      nodes.push({ auth, changes });
    }
    // Until both listen (the LISTEN is made in the background at start). Not given up on after 2 s: on a
    // loaded box a node not yet listening then missed the notification, and the test hung until its timeout.
    const listening = () => nodes.every((n) => (n.changes as unknown as { client?: unknown }).client);
    for (const deadline = Date.now() + 30_000; !listening() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    if (!listening()) throw new Error('the user-change listeners did not connect within 30 s');
  });

  afterAll(async () => {
    for (const n of nodes) {
      await n.changes.onApplicationShutdown();
      n.auth.onApplicationShutdown();
    }
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('node B hears of a user disabled on node A, with its directory already re-read', async () => {
    const [a, b] = nodes;
    const user = await dataSource.getRepository(UserEntity).findOneByOrFail({ username: 'agent1' });
    const session = { sub: user.id, username: 'agent1', role: 'agent' as const };
    expect(b.auth.stillHolds(session)).toBe(true);
    const heard = new Promise<boolean>((resolve) => b.changes.onChange((id) => id === user.id && resolve(b.auth.stillHolds(session))));
    await dataSource.getRepository(UserEntity).update({ id: user.id }, { disabled: true });
    await a.changes.changed(user.id);
    expect(a.auth.stillHolds(session)).toBe(false);
    // B's listener runs on the notification (its periodic refresh tells no listener): the session no longer holds there.
    expect(await heard).toBe(false);
  });
});
