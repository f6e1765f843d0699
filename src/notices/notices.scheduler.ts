import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { NoticesService } from './notices.service.js';

export const DELIVERY_JOB = 'notices.deliver';

/** Hands notices to the outside channels an operator added, every half minute (nothing to do without one). */
@Injectable()
export class NoticesScheduler implements OnApplicationShutdown {
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly notices: NoticesService) {}

  @Interval(DELIVERY_JOB, 30_000)
  scheduled(): void {
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running;
  }

  tick(): Promise<number> {
    const run = this.notices.deliverDue();
    this.running = run.catch(() => undefined);
    return run;
  }
}
