import { SetMetadata } from '@nestjs/common';
import type { ErrorCode } from '../app-error';

export const API_ERRORS_KEY = 'laihua:api-errors';

/**
 * The error codes a handler (or every handler of a controller) answers besides those the OpenAPI
 * document adds by itself (src/openapi-document.ts completeOperation): what the handler and the
 * services it calls throw.
 */
export const ApiErrors = (...codes: ErrorCode[]) => SetMetadata(API_ERRORS_KEY, codes);
