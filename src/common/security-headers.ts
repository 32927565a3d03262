import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';

/**
 * Security headers on every HTTP response (helmet): a Content-Security-Policy that lets the pages
 * load only their own scripts, styles and sockets (inline style attributes stay allowed: the pages
 * size inputs with them), no framing by other sites, `nosniff`, no referrer leaks, and no
 * `X-Powered-By`. `upgrade-insecure-requests` is left out: a contact centre may serve laihua over
 * plain HTTP on its own network, where upgrading would break every page.
 */
export function useSecurityHeaders(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'connect-src': ["'self'"],
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
}
