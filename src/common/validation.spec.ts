import { IsString } from 'class-validator';
import { AppError } from './app-error';
import { createValidationPipe } from './validation';
import { FastValidated, fastCheckOf } from './validation-fast-path';

class NoteDto {
  @IsString() note!: string;
}

@FastValidated()
class FastNoteDto {
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

  it('takes the fast path only for DTOs that opt in, and refuses through the full pipe either way', async () => {
    expect(fastCheckOf(NoteDto)).toBeNull();
    expect(fastCheckOf(FastNoteDto)!({ note: 'x' })).toEqual(Object.assign(new FastNoteDto(), { note: 'x' }));
    expect(fastCheckOf(FastNoteDto)!({ note: 1 })).toBeNull();
    await expect(pipe.transform({ note: 'x' }, { type: 'body', metatype: FastNoteDto })).resolves.toBeInstanceOf(FastNoteDto);
    const refused = await pipe.transform({ note: 1, extra: true }, { type: 'body', metatype: FastNoteDto }).catch((e: AppError) => e.toBody());
    expect(refused).toEqual(await pipe.transform({ note: 1, extra: true }, { type: 'body', metatype: NoteDto }).catch((e: AppError) => e.toBody()));
  });
});
