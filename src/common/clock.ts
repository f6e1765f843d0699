import { Injectable } from '@nestjs/common';
import { todayInChina } from './dates.js';

/**
 * What time it is, for every moment and day a service stores: when a record is made or reviewed, a publication's
 * window, a ledger entry's and a redemption's time, the receipt counter's day. It reads the real time. The demo
 * seed stops it at each past day it replays, so that six months of history go through the services as they would
 * have happened; it does so before the server listens, and lets it run again after.
 */
@Injectable()
export class Clock {
  private stoppedAt: Date | null = null;

  now(): Date {
    return this.stoppedAt ? new Date(this.stoppedAt) : new Date();
  }

  /** The China day of now, `YYYY-MM-DD`. */
  today(): string {
    return todayInChina(this.now());
  }

  /** Stops the clock at a moment; null lets it run with the real time again. */
  stopAt(moment: Date | null): void {
    this.stoppedAt = moment;
  }
}
