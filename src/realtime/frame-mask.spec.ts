import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { WebSocket as WsSocket, WebSocketServer as WsServer } from 'ws';
import { releaseFrameMask } from './frame-mask';

// The `ws` the server runs on: the copy @nestjs/platform-ws depends on, which may not be the top-level one.
const fromPlatformWs = createRequire(require.resolve('@nestjs/platform-ws'));
const { WebSocket, WebSocketServer } = fromPlatformWs('ws') as typeof import('ws');

const maskOf = (socket: WsSocket) => (socket as unknown as { _receiver: { _mask?: unknown } })._receiver._mask;

describe('releaseFrameMask', () => {
  let server: WsServer;
  let client: WsSocket;
  const seen: { text: string; maskBefore: unknown; maskAfter: unknown }[] = [];
  let release = true;

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    server.on('connection', (socket: WsSocket) =>
      socket.on('message', (raw) => {
        const maskBefore = maskOf(socket);
        if (release) releaseFrameMask(socket);
        seen.push({ text: String(raw), maskBefore, maskAfter: maskOf(socket) });
        socket.send(String(raw));
      }),
    );
    client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
  });

  afterAll(async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const roundTrip = (text: string) =>
    new Promise<string>((resolve) => {
      client.once('message', (raw) => resolve(String(raw)));
      client.send(text);
    });

  it('ws keeps the mask of the last frame it read (the field this releases)', async () => {
    release = false;
    seen.length = 0;
    await roundTrip('kept');
    expect(Buffer.isBuffer(seen[0].maskBefore)).toBe(true);
    expect((seen[0].maskBefore as Buffer).length).toBe(4);
    expect(seen[0].maskAfter).toBe(seen[0].maskBefore);
  });

  it('releases it once the frame was read, and the next frames still unmask as they should', async () => {
    release = true;
    seen.length = 0;
    const texts = ['first', 'x'.repeat(70_000), '第二', ''];
    for (const text of texts) expect(await roundTrip(text)).toBe(text);
    expect(seen.map((s) => s.text)).toEqual(texts);
    for (const s of seen) expect(s.maskAfter).toBeUndefined();
    expect(maskOf([...server.clients][0] ?? (undefined as never))).toBeUndefined();
  });

  it('leaves a socket without a receiver alone', () => {
    expect(() => releaseFrameMask({} as WsSocket)).not.toThrow();
  });
});
