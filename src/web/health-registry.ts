import { Injectable } from '@nestjs/common';

export interface HealthCheckResult {
  ok: boolean;
  detail?: Readonly<Record<string, unknown>>;
}

export type HealthCheck = () => Promise<HealthCheckResult> | HealthCheckResult;

/** Modules register named readiness checks (store writable, listeners up); /health runs them all. */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async run(): Promise<{ ok: boolean; checks: Record<string, HealthCheckResult> }> {
    const checks: Record<string, HealthCheckResult> = {};
    let ok = true;
    for (const [name, check] of this.checks) {
      try {
        checks[name] = await check();
      } catch (err: unknown) {
        checks[name] = { ok: false, detail: { error: err instanceof Error ? err.message : 'check failed' } };
      }
      if (!checks[name]!.ok) ok = false;
    }
    return { ok, checks };
  }
}
