import { Injectable } from '@nestjs/common';

/** What a feature adds to households' door plates: a few words per household (a named star, 党员户 …). */
export type BadgeSource = (householdIds: number[]) => Promise<Map<number, string[]>>;

/**
 * The door plate's extra lines, from features above the households (honours register theirs at start-up), so that
 * the plate shows them without the households feature knowing those features.
 */
@Injectable()
export class DoorPlateBadges {
  private readonly sources: BadgeSource[] = [];

  add(source: BadgeSource): void {
    this.sources.push(source);
  }

  async of(householdIds: number[]): Promise<Map<number, string[]>> {
    const all = new Map<number, string[]>();
    for (const source of this.sources)
      for (const [id, badges] of await source(householdIds)) all.set(id, [...(all.get(id) ?? []), ...badges]);
    return all;
  }
}
