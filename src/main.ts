import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { mountLoginRateLimit } from './auth/login-rate-limit';
import { loadConfig } from './config/load-config';
import { GatewayError, toGatewayError } from './errors/gateway-error';
import { createRootLogger } from './logging/root-logger';
import { PinoNestLogger } from './logging/pino-nest-logger';
import { mountApiDocs } from './web/api-docs/mount-api-docs';
import { mountConsole } from './web/console/mount-console';
import { ProblemDetailsFilter } from './web/problem-details.filter';

/** Starts the gateway on the configured ports; resolves once everything listens. */
export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<NestExpressApplication> {
  let config;
  try {
    config = loadConfig(env);
  } catch (err: unknown) {
    process.stderr.write(`${toGatewayError(err).message}\n`);
    process.exit(1);
  }
  const logger = createRootLogger(config.LOG_LEVEL);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, logger), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    // Let a startup error (bad store config, port in use) reach the CLI's one-line error, not process.abort().
    abortOnError: false,
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
  mountLoginRateLimit(app);
  mountApiDocs(app);
  mountConsole(app, logger);
  try {
    await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  } catch (err: unknown) {
    // A listener that cannot bind (port in use) must not leave the others serving: close what
    // started (pipeline, listeners, store), then let the CLI print its one line and exit.
    await app.close().catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new GatewayError('CONFIG_INVALID', `cannot listen on HTTP_PORT ${config.HTTP_PORT}: ${code}`, { field: 'HTTP_PORT', cause: err });
    }
    throw err;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.HTTP_PORT;
  logger.info({ module: 'main', httpPort: port }, 'gateway listening');
  return app;
}
