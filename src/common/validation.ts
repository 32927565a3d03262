import { type ArgumentMetadata, ValidationError, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { AppError } from './app-error';
import type { FieldProblem } from '../../protocol/errors';
import { jsonShapeProblem } from './json-shape';
import { fastCheckOf } from './validation-fast-path';

export type { FieldProblem };

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** A refused JSON shape (src/common/json-shape.ts) as the client sees it. */
export const badShape = (problem: string) => new AppError('VALIDATION_FAILED', `The message is refused: ${problem}`);

/**
 * Refuses over-deep input and prototype keys before class-transformer sees them: it recurses (and
 * overflows the stack on deep input) and silently skips `__proto__`-like keys, which whitelisting
 * then never reports.
 */
class ShapeCheckingValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Only client input is checked: the WebSocket of @ConnectedSocket is a server object, and
    // walking its graph on every frame cost ~5 % of the server's CPU under load.
    if (!isClientInput(metadata)) return value;
    if (acceptedAs(value, metadata)) return value;
    const problem = jsonShapeProblem(value);
    if (problem) throw badShape(problem);
    // A frame (parsed JSON) whose DTO opted in and that passes its rules skips the full pipe; anything
    // else takes it (src/common/validation-fast-path.ts).
    if (metadata.metatype && (metadata.type === 'body' || metadata.type === (WS_PAYLOAD as unknown))) {
      const valid = fastCheckOf(metadata.metatype)?.(value);
      if (valid) return accept(valid);
    }
    const dto: unknown = await super.transform(value, metadata);
    // Marked only when the pipe made it: a value passed through untouched (no DTO class) is the client's own.
    return dto !== value ? accept(dto) : dto;
  }
}

/**
 * Marks a DTO this policy made. Nest runs the global pipe and then the gateway's on every frame,
 * both this policy: the second is handed the very DTO the first made from the frame and checked, so
 * it passes it on instead of checking it again (it did: twice per frame; docs/PERFORMANCE.md,
 * twenty-sixth session). Only an object made here carries the mark — a DTO built anywhere else, or a
 * plain object, is checked in full. A non-enumerable symbol: JSON, spreads and clones never see it,
 * and unlike a WeakSet entry it costs the garbage collector nothing for an object that dies young.
 */
const MADE_HERE = Symbol('made by the validation pipe');

function accept(dto: unknown): unknown {
  if (typeof dto === 'object' && dto !== null && Object.isExtensible(dto)) Object.defineProperty(dto, MADE_HERE, { value: true });
  return dto;
}

function acceptedAs(value: unknown, metadata: ArgumentMetadata): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [MADE_HERE]?: unknown })[MADE_HERE] === true &&
    metadata.metatype !== undefined &&
    value instanceof metadata.metatype
  );
}

/**
 * Nest hands a gateway's pipes the frame as a 'body' parameter (the WsParamtype numbers are mapped
 * before pipes run: PAYLOAD 3 → 'body'); the raw number is accepted too. Global pipes run on frames
 * as well, before the gateway's own.
 */
const WS_PAYLOAD = 3;

function isClientInput(metadata: ArgumentMetadata): boolean {
  const type: unknown = metadata.type;
  return type === 'body' || type === 'query' || type === 'param' || type === WS_PAYLOAD;
}

/** The options of the one validation policy (the fast path for frames implements exactly these). */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  exceptionFactory: (errors) => new AppError('VALIDATION_FAILED', 'The message failed validation', flattenValidationErrors(errors)),
};

/** One validation policy for HTTP bodies and WebSocket frames: unknown fields are refused, not dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ShapeCheckingValidationPipe(VALIDATION_OPTIONS);
}
