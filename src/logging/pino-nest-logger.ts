import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/** Routes Nest's own framework messages into the pino root logger as JSON lines. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ module: context ?? 'nest' }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ module: context ?? 'nest', trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ module: context ?? 'nest' }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ module: context ?? 'nest' }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ module: context ?? 'nest' }, String(message));
  }
}
