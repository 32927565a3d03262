import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { AuthUser } from '../auth/auth-user';
import { Connections } from './connections';

const user = (username: string): AuthUser => ({ sub: `id-${username}`, username, role: 'agent' }) as AuthUser;

describe('Connections: each user’s open connections', () => {
  const open = (connections: Connections, who: AuthUser) => {
    const request = {} as IncomingMessage;
    const socket = {} as WebSocket;
    connections.admit(request, { user: who, locale: 'zh-CN', expiresAt: Date.now() + 60_000 });
    return connections.connect(socket, request)!;
  };

  it('finds a user’s connections, and forgets each when it closes', () => {
    const connections = new Connections();
    const [agent1, agent2] = [user('agent1'), user('agent2')];
    const desk = open(connections, agent1);
    const tab = open(connections, agent1);
    const other = open(connections, agent2);
    expect([...connections.ofUsername('agent1')]).toEqual([desk, tab]);
    expect([...connections.ofUsername('agent2')]).toEqual([other]);
    expect([...connections.ofUsername('nobody')]).toEqual([]);

    connections.disconnect(desk.socket);
    expect([...connections.ofUsername('agent1')]).toEqual([tab]);
    connections.disconnect(tab.socket);
    connections.disconnect(tab.socket); // closed twice: nothing more to forget
    expect([...connections.ofUsername('agent1')]).toEqual([]);
    expect([...connections.ofUsername('agent2')]).toEqual([other]);
    expect(connections.size).toBe(1);
  });

  it('pushes a call to the connections watching it, and forgets an ended call on both sides', () => {
    const connections = new Connections();
    const desk = open(connections, user('agent1'));
    const supervisor = open(connections, user('lead'));
    connections.watch(desk, 'c1');
    connections.watch(desk, 'c1'); // watched again: still once
    connections.watch(desk, 'c2');
    connections.watch(supervisor, 'c1');
    expect([...connections.watchersOf('c1')]).toEqual([desk, supervisor]);
    expect([...connections.watchersOf('c2')]).toEqual([desk]);

    connections.unwatch('c1');
    expect([...connections.watchersOf('c1')]).toEqual([]);
    expect(desk.calls).toBe('c2'); // one call left: kept as itself, not as a Set
    expect(supervisor.calls).toBeUndefined(); // a long shift's ended calls do not pile up on the connection

    connections.disconnect(desk.socket);
    expect([...connections.watchersOf('c2')]).toEqual([]);
    connections.watch(desk, 'c3'); // closed: its late message watches nothing
    expect([...connections.watchersOf('c3')]).toEqual([]);
  });

  it('gives a socket without a verified handshake no connection, and lists it nowhere', () => {
    const connections = new Connections();
    expect(connections.connect({} as WebSocket, {} as IncomingMessage)).toBeUndefined();
    expect(connections.size).toBe(0);
  });
});
