import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthRegistry } from './health-registry';

/** GET /health: 200 when every registered check passes, else 503. Never patient data. */
@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  @Get()
  async health(@Res() res: Response): Promise<void> {
    const result = await this.registry.run();
    res.status(result.ok ? 200 : 503).json({ status: result.ok ? 'ok' : 'unavailable', checks: result.checks });
  }
}
