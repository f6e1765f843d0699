import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { PublicationsService } from './publications.service.js';

/** The scheduled job's name in Nest's SchedulerRegistry (the tests stop it and call `tick` themselves). */
export const AUTO_CLOSE_JOB = 'publications.close-ended';

/** Closes publications whose window has ended within half a minute, even if nobody clicks. */
@Injectable()
export class PublicationsScheduler implements OnApplicationShutdown {
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly publications: PublicationsService) {}

  @Interval(AUTO_CLOSE_JOB, 30_000)
  scheduled(): void {
    void this.tick();
  }

  /** The schedule stops its timer on shutdown; a closing already under way finishes first. */
  async onApplicationShutdown(): Promise<void> {
    await this.running;
  }

  tick(): Promise<number[]> {
    const run = this.publications.closeEnded();
    this.running = run.catch(() => undefined);
    return run;
  }
}
