import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import type { ResultTransform, UnboundHandler } from './handler-tables';
import { shareGatewayHandlers } from './shared-handlers';

@WebSocketGateway()
class EchoGateway {
  readonly name = 'echo';
  @SubscribeMessage('echo')
  echo(@ConnectedSocket() client: WebSocket & { label?: string }, @MessageBody() body: { text: string }) {
    return { event: 'echoed', data: { text: body.text, on: client.label, by: this.name } };
  }
}

@Module({ providers: [EchoGateway] })
class EchoModule {}

/** The stock adapter, plus `bindSharedHandlers`: what it is handed, and frames routed as AppWsAdapter routes them. */
class SharingAdapter extends WsAdapter {
  readonly shared: { handlers: readonly UnboundHandler[]; gateway: object }[] = [];
  bound = 0;

  override bindMessageHandlers(...args: Parameters<WsAdapter['bindMessageHandlers']>): void {
    this.bound++;
    super.bindMessageHandlers(...args);
  }

  bindSharedHandlers(client: WebSocket & { label?: string }, handlers: readonly UnboundHandler[], gateway: object, transform: ResultTransform): void {
    this.shared.push({ handlers, gateway });
    client.label = `connection ${this.shared.length}`;
    client.on('message', (raw) => {
      const { event, data } = JSON.parse(String(raw)) as { event: string; data: unknown };
      const handler = handlers.find((h) => h.message === event)!;
      transform(handler.callback.call(gateway, client, data, event)).subscribe((reply) => client.send(JSON.stringify(reply)));
    });
  }
}

async function serve(adapter: (app: INestApplication) => WsAdapter): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(EchoModule, { logger: false });
  app.useWebSocketAdapter(adapter(app));
  await app.listen(0, '127.0.0.1');
  return { app, url: `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

/** Opens a socket and asks for one echo of `text`. */
async function echoOn(url: string, text: string): Promise<unknown> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const reply = new Promise((resolve) => socket.once('message', (raw) => resolve(JSON.parse(String(raw)))));
  socket.send(JSON.stringify({ event: 'echo', data: { text } }));
  const answer = await reply;
  socket.close();
  return answer;
}

describe('shareGatewayHandlers: Nest hands a gateway’s handlers unbound to an adapter that takes them', () => {
  beforeAll(() => shareGatewayHandlers());

  it('gives each connection the gateway’s handlers unbound, once per connection, and they answer for that connection', async () => {
    let adapter!: SharingAdapter;
    const { app, url } = await serve((a) => (adapter = new SharingAdapter(a)));
    try {
      expect(await echoOn(url, 'one')).toEqual({ event: 'echoed', data: { text: 'one', on: 'connection 1', by: 'echo' } });
      expect(await echoOn(url, 'two')).toEqual({ event: 'echoed', data: { text: 'two', on: 'connection 2', by: 'echo' } });
      expect(adapter.bound).toBe(0); // nothing bound to a connection
      expect(adapter.shared).toHaveLength(2);
      const [a, b] = adapter.shared;
      expect(a.handlers).toBe(b.handlers); // the gateway's one list, not a copy per connection
      expect(a.gateway).toBeInstanceOf(EchoGateway);
      expect(a.handlers.map((h) => h.message)).toEqual(['echo']);
    } finally {
      await app.close();
    }
  });

  it('leaves an adapter without bindSharedHandlers to Nest’s own binding, and can be called again', async () => {
    shareGatewayHandlers();
    let bound = 0;
    class StockAdapter extends WsAdapter {
      override bindMessageHandlers(...args: Parameters<WsAdapter['bindMessageHandlers']>): void {
        bound++;
        super.bindMessageHandlers(...args);
      }
    }
    const { app, url } = await serve((a) => new StockAdapter(a));
    try {
      expect(await echoOn(url, 'three')).toEqual({ event: 'echoed', data: { text: 'three', by: 'echo' } });
      expect(bound).toBe(1);
    } finally {
      await app.close();
    }
  });
});
