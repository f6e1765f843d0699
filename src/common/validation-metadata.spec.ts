import { Type, plainToInstance } from 'class-transformer';
import { getMetadataStorage, IsIn, IsInt, IsOptional, Matches, Min, validate } from 'class-validator';
import { fieldMessages } from './validation.js';
import { rememberValidationMetadata } from './validation-metadata.js';

// DTOs shaped as the app's are: a query a list extends, and a rule validated only in a group.
class VillageFilter {
  @Type(() => Number)
  @IsInt({ message: '请指定村' })
  @Min(1, { message: '请指定村' })
  villageId: number;
}

class HouseholdFilter extends VillageFilter {
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '农户编号应为整数' })
  householdId?: number;

  @IsOptional()
  @IsIn(['DONE', 'CANCELLED'], { message: '状态应为 DONE 或 CANCELLED', groups: ['list'] })
  status?: string;
}

class DatedHouseholdFilter extends HouseholdFilter {
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '日期应为 YYYY-MM-DD', always: true })
  from?: string;
}

const DTOS = [VillageFilter, HouseholdFilter, DatedHouseholdFilter];
const OPTIONS: [boolean, boolean, string[] | undefined][] = [
  [false, false, undefined],
  [true, false, undefined],
  [false, true, []],
  [false, false, ['list']],
];
const storage = getMetadataStorage();
const lookAll = () =>
  DTOS.map((dto) =>
    OPTIONS.map(([always, strict, groups]) =>
      storage
        .getTargetValidationMetadatas(dto, '', always, strict, groups)
        .map((m) => `${m.propertyName}:${m.name ?? m.type}`),
    ),
  );

describe('validation metadata kept per class', () => {
  // Read before the memo is installed: what class-validator itself answers.
  const before = lookAll();
  beforeAll(() => rememberValidationMetadata());

  it('should answer exactly what class-validator answers, inherited and grouped rules included', () => {
    expect(lookAll()).toEqual(before);
    // A grandchild sees its grandparent's rule, and a grouped rule only when its group is asked for.
    expect(before[2][0].some((rule) => rule.startsWith('villageId:'))).toBe(true);
    expect(before[1][3]).not.toEqual(before[1][0]);
  });

  it('should read a class once and keep the answer', () => {
    const first = storage.getTargetValidationMetadatas(HouseholdFilter, '', false, false, undefined);
    expect(storage.getTargetValidationMetadatas(HouseholdFilter, '', false, false, undefined)).toBe(first);
  });

  it('should still refuse what the rules refuse, in the inherited field and the own field', async () => {
    const options = { whitelist: true, forbidUnknownValues: true };
    const bad = plainToInstance(DatedHouseholdFilter, {
      villageId: '0',
      householdId: 'x',
      from: '2026/12/01',
    });
    expect(fieldMessages(await validate(bad, options))).toEqual({
      villageId: '请指定村',
      householdId: '农户编号应为整数',
      from: '日期应为 YYYY-MM-DD',
    });
    const good = plainToInstance(DatedHouseholdFilter, { villageId: '3', from: '2026-12-01' });
    expect(await validate(good, options)).toEqual([]);
  });
});
