import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import { PinoNestLogger } from './common/logger';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { abandonRecoveryPrefetch } from './decision-log/recovery-prefetch';
import { AppWsAdapter } from './realtime';
import { setUpOpenApi } from './openapi-document';
import { useSecurityHeaders } from './common/security-headers';

/**
 * The server: the application built, recovered (crash recovery runs in its bootstrap) and listening.
 * Loaded by main.ts once the environment is checked; throws what stopped it.
 */
export async function serve(root: Logger, env: AppConfig): Promise<void> {
  // Every body is read as JSON whatever its Content-Type (a form or text body is BAD_JSON, not
  // silently ignored), up to a limit (larger → 413 PAYLOAD_TOO_LARGE).
  // `rawBody`: the bytes as received are kept beside the parsed body (req.rawBody), for signed webhooks (src/cti).
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: new PinoNestLogger(root), bodyParser: false, rawBody: true });
  useSecurityHeaders(app);
  // Behind a load balancer: the client address (per-address login limit) from trusted proxies' X-Forwarded-For only.
  app.set('trust proxy', env.TRUSTED_PROXIES.length ? env.TRUSTED_PROXIES : false);
  app.useBodyParser('json', { limit: env.HTTP_BODY_LIMIT_BYTES, type: () => true });
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(new AppWsAdapter(app));
  setUpOpenApi(app);
  app.enableShutdownHooks(SHUTDOWN_SIGNALS);
  const config = app.get(AppConfig);
  await app.listen(config.PORT, config.HOST); // initialises the modules first: crash recovery runs there
  abandonRecoveryPrefetch(); // the read begun at start was taken by the recovery, or is not wanted
  const address = app.getHttpServer().address();
  root.info({ port: typeof address === 'object' ? address?.port : config.PORT, dataDir: config.DATA_DIR }, 'laihua listening');
}

/**
 * The signals that stop the server gracefully (commits finished, writer threads closed). Not Nest's
 * default list: it holds SIGUSR2, Node's signal for a diagnostic report (`--report-on-signal`) or a
 * heap snapshot (`--heapsnapshot-signal`), so asking a loaded hotline for a diagnosis shut it down.
 * The fault signals (SIGSEGV, SIGBUS…) leave no state a JavaScript handler may safely run in.
 */
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];
