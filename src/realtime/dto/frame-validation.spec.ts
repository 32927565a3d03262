/**
 * The validation fast path (src/common/validation-fast-path.ts) against the full pipe it skips, on
 * every DTO of the WebSocket (all opt in with @FastValidated): for valid frames, frames one mutation
 * away from valid, and arbitrary JSON, both give the same verdict, and the fast path's DTO equals
 * the full pipe's.
 */
import { ValidationPipe } from '@nestjs/common';
import fc from 'fast-check';
import type { AppError } from '../../common/app-error';
import { jsonShapeProblem } from '../../common/json-shape';
import { badShape, createValidationPipe, VALIDATION_OPTIONS } from '../../common/validation';
import { fastCheckOf } from '../../common/validation-fast-path';
import { CallDecideDto, CallRefDto, CallStartDto, FlowSearchDto } from './call-messages.dto';
import { FloorSubscribeDto, FloorUnsubscribeDto } from './floor-messages.dto';

/** How Nest hands a gateway's pipes the frame (WsParamtype.PAYLOAD mapped to 'body'). */
const WS_PAYLOAD = { type: 'body' as const };
const reference = new ValidationPipe(VALIDATION_OPTIONS);
const pipe = createValidationPipe();
const callId = '6f1c2e0a-5b7d-4c1e-9a3f-2d8e7b6a5c4d';

const valid: [new () => object, Record<string, unknown>[]][] = [
  [CallStartDto, [{ requestId: 'r1', callerNumber: '13800000001', flowId: 'suspend-service' }]],
  [CallRefDto, [{ requestId: 'r1', callId }]],
  [
    CallDecideDto,
    [
      { requestId: 'r1', callId, seq: 1, option: 'confirm' },
      { requestId: 'r'.repeat(128), callId, seq: 7, option: 'x'.repeat(64), input: { reason: 'travel', n: [1, { a: null }] }, confirmedPrompts: ['p1', 'p1'] },
      { requestId: 'r1', callId, seq: 2, option: 'go', input: {}, confirmedPrompts: [] },
    ],
  ],
  [
    FlowSearchDto,
    [
      { requestId: 'r1', q: '停机' },
      { requestId: 'r1', q: '' },
    ],
  ],
  [FloorSubscribeDto, [{ requestId: 'r1' }]],
  [FloorUnsubscribeDto, [{ requestId: 'r1' }]],
];

const odd = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    2 ** 53,
    '',
    ' ',
    '1',
    'x'.repeat(129),
    '12345',
    '1234',
    'a'.repeat(65),
    callId.toUpperCase(),
    'not-a-uuid',
    [],
    {},
    ['a'],
    [1],
  ),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 52 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

/** A valid frame with one key set to an odd value, removed, or added. */
const mutated = (base: Record<string, unknown>) =>
  fc.tuple(fc.constantFrom(...Object.keys(base), 'input', 'confirmedPrompts', 'extra', 'seq'), odd, fc.boolean()).map(([key, value, remove]) => {
    const frame: Record<string, unknown> = structuredClone(base);
    if (remove) delete frame[key];
    else frame[key] = value;
    return frame;
  });

const outcome = (p: ValidationPipe, value: unknown, dto: new () => object) =>
  p.transform(structuredClone(value), { ...WS_PAYLOAD, metatype: dto as never }).then(
    (ok: unknown) => ({ ok }),
    (error: AppError) => ({ error: error.toBody() }),
  );

describe('frame validation fast path', () => {
  it.each(valid.map(([dto, frames]) => [dto.name, dto, frames] as const))('is used for every WebSocket DTO (%s)', (_name, dto, frames) => {
    const check = fastCheckOf(dto);
    expect(check).not.toBeNull();
    for (const frame of frames) expect(check!(structuredClone(frame))).toBeInstanceOf(dto);
  });

  it.each(valid.map(([dto, frames]) => [dto.name, dto, frames] as const))('agrees with the full pipe (%s)', async (_name, dto, frames) => {
    const cases = fc.oneof(fc.constantFrom(...frames), ...frames.map(mutated), fc.jsonValue({ maxDepth: 3 }));
    await fc.assert(
      fc.asyncProperty(cases, async (value) => {
        const full = await outcome(reference, value, dto);
        const fast = fastCheckOf(dto)!(structuredClone(value));
        if ('ok' in full) {
          expect(fast).toEqual(full.ok);
          expect(fast).toBeInstanceOf(dto);
          // Nest runs the global pipe, then the gateway's: the second pass gets the first one's DTO.
          expect(fastCheckOf(dto)!(full.ok as object)).toEqual(full.ok);
          expect(await outcome(pipe, full.ok, dto)).toEqual(await outcome(reference, full.ok, dto));
        } else {
          expect(fast).toBeNull();
        }
        // And through the pipe as the gateway uses it: the same DTO, or the same typed error (after the shape check).
        const shape = jsonShapeProblem(value);
        expect(await outcome(pipe, value, dto)).toEqual(shape ? { error: badShape(shape).toBody() } : full);
      }),
      { seed: 20261123, numRuns: 400 },
    );
  });
});
