import { ArgumentsHost, Catch, ExceptionFilter, Logger, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from './app-error';
import { toAppError } from './to-app-error';

/** What the filter reads of Express's router: its routes and whether a path matches one (Express 5). */
interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  match(path: string): unknown;
}

/**
 * The methods a path answers to, when no route took this request's method for it. Express answers
 * an unknown method as an unknown path (404, via Nest's not-found handler); HTTP says 405 with
 * `Allow` (RFC 9110 §15.5.6), so a client learns the path exists.
 */
function allowedMethods(request: Request): string[] {
  const stack = (request.app as unknown as { router?: { stack?: RouteLayer[] } }).router?.stack ?? [];
  const allow = new Set<string>();
  for (const layer of stack) {
    // Wildcard routes (the web app's page fallback) match every path: they say nothing about this one.
    if (!layer.route || String(layer.route.path).includes('*') || !layer.match(request.path)) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') allow.add(method.toUpperCase());
  }
  if (allow.has('GET')) allow.add('HEAD');
  return [...allow].sort();
}

/** Maps every error raised by an HTTP handler to `{code, message, details?}` with the right status. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let error = toAppError(exception);
    // Nest's "no route" (not an AppError NOT_FOUND from a handler): a known path with another method is 405.
    if (exception instanceof NotFoundException && !(exception instanceof AppError)) {
      const request = host.switchToHttp().getRequest<Request>();
      const allow = allowedMethods(request);
      if (allow.length && !allow.includes(request.method)) {
        response.setHeader('allow', allow.join(', '));
        error = new AppError('METHOD_NOT_ALLOWED', `${request.method} is not supported here; use ${allow.join(', ')}`, { allow });
      }
    }
    if (error.code === 'INTERNAL') this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (error.code === 'TOO_MANY_ATTEMPTS' && typeof retryAfter === 'number') response.setHeader('retry-after', String(retryAfter));
    response.status(error.httpStatus).json(error.toBody());
  }
}
