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
    expect(connections.ofUsername('nobody').size).toBe(0);

    connections.disconnect(desk.socket);
    expect([...connections.ofUsername('agent1')]).toEqual([tab]);
    connections.disconnect(tab.socket);
    connections.disconnect(tab.socket); // closed twice: nothing more to forget
    expect(connections.ofUsername('agent1').size).toBe(0);
    expect([...connections.ofUsername('agent2')]).toEqual([other]);
    expect(connections.size).toBe(1);
  });

  it('gives a socket without a verified handshake no connection, and lists it nowhere', () => {
    const connections = new Connections();
    expect(connections.connect({} as WebSocket, {} as IncomingMessage)).toBeUndefined();
    expect(connections.size).toBe(0);
  });
});
