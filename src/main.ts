import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { createRootLogger, PinoNestLogger } from './common/logger';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation';
import { AppConfig, loadConfig } from './config/app-config';
import { AppWsAdapter } from './realtime';
import { setUpOpenApi } from './openapi-document';
import { useSecurityHeaders } from './common/security-headers';

async function bootstrap(): Promise<void> {
  const level = process.env.LOG_LEVEL ?? 'info';
  const root = createRootLogger(level);
  try {
    const env = loadConfig(); // refuse a bad environment before anything starts
    // Every file the server creates (SQLite and its -wal/-shm, keys, anchors) is readable by its owner only.
    process.umask(0o077);
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
    await app.listen(config.PORT, config.HOST);
    const address = app.getHttpServer().address();
    root.info({ port: typeof address === 'object' ? address?.port : config.PORT, dataDir: config.DATA_DIR }, 'laihua listening');
  } catch (e) {
    // A bad flow file or environment stops the server with the reason, not a stack of framework frames.
    root.fatal((e as Error).message);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100).unref();
  }
}

/**
 * The signals that stop the server gracefully (commits finished, writer threads closed). Not Nest's
 * default list: it holds SIGUSR2, Node's signal for a diagnostic report (`--report-on-signal`) or a
 * heap snapshot (`--heapsnapshot-signal`), so asking a loaded hotline for a diagnosis shut it down.
 * The fault signals (SIGSEGV, SIGBUS…) leave no state a JavaScript handler may safely run in.
 */
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];

void bootstrap();
