import { startGateway, type GatewayProcess } from '../../test/helpers/gateway-process';

const isLive = (g: GatewayProcess): boolean => g.child.exitCode === null && g.child.signalCode === null;

/**
 * N gateway processes on one database, each in a slot. A slot's process can be SIGKILLed and a
 * new one started in its place with the same env; the new one gets new ports, so senders ask
 * `live()` before every send instead of keeping addresses.
 */
export class ReplicaSet {
  private readonly slots: Array<GatewayProcess | undefined>;
  /** Every process ever started (for the final cleanup and the logs of a failed start). */
  private readonly started: GatewayProcess[] = [];
  kills = 0;
  restarts = 0;

  constructor(
    private readonly env: Record<string, string>,
    size: number,
  ) {
    this.slots = Array.from({ length: size }, () => undefined);
  }

  /** Starts every slot one after the other: the first runs the migrations, the next find them done. */
  async start(): Promise<void> {
    for (let i = 0; i < this.slots.length; i++) this.slots[i] = await this.launch();
  }

  live(): GatewayProcess[] {
    return this.slots.filter((g): g is GatewayProcess => g !== undefined && isLive(g));
  }

  /** SIGKILLs the process in a random live slot (never the last live one) and starts its replacement; resolves once it is up. */
  async killAndRestart(random: () => number): Promise<{ killedPid: number; newPid: number } | undefined> {
    const live = this.slots.map((g, i) => ({ g, i })).filter((s): s is { g: GatewayProcess; i: number } => s.g !== undefined && isLive(s.g));
    if (live.length < 2) return undefined;
    const { g, i } = live[Math.floor(random() * live.length)]!;
    const killedPid = g.child.pid ?? -1;
    this.slots[i] = undefined;
    await g.stop('SIGKILL');
    this.kills++;
    const next = await this.launch();
    this.slots[i] = next;
    this.restarts++;
    return { killedPid, newPid: next.child.pid ?? -1 };
  }

  /** Stops every process it started (SIGKILL: what is left is only the cleanup). */
  async stopAll(): Promise<void> {
    await Promise.all(this.started.map((g) => g.stop('SIGKILL').catch(() => undefined)));
  }

  /** A generous health window: on a busy 2-core machine a start takes seconds; a failed start fails the run. */
  /** Synchronous last resort (watchdog): SIGKILL to every process started. */
  killAllNow(): void {
    for (const g of this.started) g.child.kill('SIGKILL');
  }

  private async launch(): Promise<GatewayProcess> {
    const g = await startGateway({ env: this.env, timeoutMs: 90_000 });
    this.started.push(g);
    return g;
  }
}
