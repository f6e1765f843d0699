import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PublicationsService } from './publications.service.js';

/** How often ended publications are looked for; 0 turns the timer off (the tests call `tick` themselves). */
export const AUTO_CLOSE_INTERVAL_MS = 'AUTO_CLOSE_INTERVAL_MS';

/** Closes publications whose window has ended within a minute, even if nobody clicks. */
@Injectable()
export class PublicationsScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly publications: PublicationsService,
    @Inject(AUTO_CLOSE_INTERVAL_MS) private readonly intervalMs: number,
  ) {}

  onApplicationBootstrap(): void {
    if (this.intervalMs > 0) {
      this.timer = setInterval(() => void this.tick(), this.intervalMs);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  tick(): Promise<number[]> {
    const run = this.publications.closeEnded();
    this.running = run.catch(() => undefined);
    return run;
  }
}
