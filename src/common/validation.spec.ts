import { IsString } from 'class-validator';
import { AppError } from './app-error';
import { createValidationPipe } from './validation';

class NoteDto {
  @IsString() note!: string;
}

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();

  it('refuses a body carrying a prototype key before class-transformer sees it', async () => {
    const body = JSON.parse('{"note":"x","__proto__":{"polluted":true}}');
    await expect(pipe.transform(body, { type: 'body', metatype: NoteDto })).rejects.toBeInstanceOf(AppError);
  });

  it('leaves custom parameters (the WebSocket of @ConnectedSocket) alone: they are server objects, not input', async () => {
    // A deep server-side object graph that the client-input shape check would refuse.
    let socket: Record<string, unknown> = { constructor: 'server-side' };
    for (let i = 0; i < 100; i++) socket = { inner: socket };
    await expect(pipe.transform(socket, { type: 'custom' })).resolves.toBe(socket);
    // @ConnectedSocket arrives as WsParamtype.SOCKET (0), the frame's payload as PAYLOAD (3).
    await expect(pipe.transform(socket, { type: 0 as unknown as 'custom', metatype: Object })).resolves.toBe(socket);
    const payload = JSON.parse('{"note":"x","constructor":1}');
    await expect(pipe.transform(payload, { type: 3 as unknown as 'body', metatype: NoteDto })).rejects.toBeInstanceOf(AppError);
  });
});
