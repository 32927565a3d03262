import { IsString, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
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

/** Counts the checks of its property, to see which pass of a pipe checked a DTO. */
@ValidatorConstraint({ name: 'counted' })
class Counted implements ValidatorConstraintInterface {
  static checks = 0;
  validate(value: unknown): boolean {
    Counted.checks++;
    return typeof value === 'string';
  }
}

@FastValidated()
class CountedFastDto {
  @Validate(Counted) note!: string;
}

class CountedDto {
  @Validate(Counted) note!: string;
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

  it("passes on, unchecked, only the DTO a pipe of this policy made (Nest's global pipe, then the gateway's)", async () => {
    const gateway = createValidationPipe();
    for (const metatype of [CountedFastDto, CountedDto]) {
      const frame = { type: 3 as unknown as 'body', metatype };
      Counted.checks = 0;
      const dto = await pipe.transform({ note: 'x' }, frame);
      expect(dto).toBeInstanceOf(metatype);
      expect(Counted.checks).toBe(1);
      await expect(gateway.transform(dto, frame)).resolves.toBe(dto);
      expect(Counted.checks).toBe(1);
      // The same class built elsewhere, with a value its rules refuse, is checked and refused.
      const forged = Object.assign(new metatype(), { note: 7 });
      await expect(gateway.transform(forged, frame)).rejects.toBeInstanceOf(AppError);
      expect(Counted.checks).toBeGreaterThan(1);
      // The mark is invisible to the DTO's readers: keys, JSON, spreads.
      expect(Object.keys(dto as object)).toEqual(['note']);
      expect(JSON.stringify(dto)).toBe('{"note":"x"}');
      expect(Object.getOwnPropertySymbols({ ...(dto as object) })).toEqual([]);
      // A DTO made for one class is checked in full when another class is asked for.
      await expect(gateway.transform(dto, { type: 'body', metatype: NoteDto })).resolves.toBeInstanceOf(NoteDto);
    }
  });

  it('never marks a value it passed through untouched: a body without a DTO class is checked again each time', async () => {
    const body = { note: 'x' };
    await expect(pipe.transform(body, { type: 'body', metatype: Object })).resolves.toBe(body);
    expect(Object.getOwnPropertySymbols(body)).toEqual([]);
  });
});
