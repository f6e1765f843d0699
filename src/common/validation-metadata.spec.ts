import { getMetadataStorage, validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { CreateRuleDto, UpdateRuleDto } from '../rules/dto/rule.dto.js';
import { CouncilSettingsDto } from '../scoring/dto/council.dto.js';
import { RedemptionListQuery, VillageQuery } from '../supermarket/dto/list.dto.js';
import { CreateGoodsDto } from '../supermarket/dto/supermarket.dto.js';
import { fieldMessages } from './validation.js';
import { rememberValidationMetadata } from './validation-metadata.js';

const DTOS = [
  VillageQuery,
  RedemptionListQuery,
  CreateRuleDto,
  UpdateRuleDto,
  CouncilSettingsDto,
  CreateGoodsDto,
];
const OPTIONS: [boolean, boolean, string[] | undefined][] = [
  [false, false, undefined],
  [true, false, undefined],
  [false, true, []],
];

describe('validation metadata kept per class', () => {
  // Read before the memo is installed: what class-validator itself answers.
  const storage = getMetadataStorage();
  const before = DTOS.map((dto) =>
    OPTIONS.map(([always, strict, groups]) =>
      storage
        .getTargetValidationMetadatas(dto, '', always, strict, groups)
        .map((m) => [m.propertyName, m.name, m.type]),
    ),
  );
  beforeAll(() => rememberValidationMetadata());

  it('should answer exactly what class-validator answers, inherited rules included', () => {
    const after = DTOS.map((dto) =>
      OPTIONS.map(([always, strict, groups]) =>
        storage
          .getTargetValidationMetadatas(dto, '', always, strict, groups)
          .map((m) => [m.propertyName, m.name, m.type]),
      ),
    );
    expect(after).toEqual(before);
    // A subclass sees its parent's rule (villageId comes from VillageQuery).
    expect(before[1][0].some(([property]) => property === 'villageId')).toBe(true);
  });

  it('should read a class once and keep the answer', () => {
    const first = storage.getTargetValidationMetadatas(RedemptionListQuery, '', false, false, undefined);
    expect(storage.getTargetValidationMetadatas(RedemptionListQuery, '', false, false, undefined)).toBe(
      first,
    );
  });

  it('should still refuse what the rules refuse, in the inherited field and the own field', async () => {
    const bad = plainToInstance(RedemptionListQuery, { villageId: '0', householdId: 'x' });
    const messages = fieldMessages(await validate(bad, { whitelist: true, forbidUnknownValues: true }));
    expect(messages).toEqual({ villageId: '请指定村', householdId: '农户编号应为整数' });
    const good = plainToInstance(RedemptionListQuery, { villageId: '3' });
    expect(await validate(good, { whitelist: true, forbidUnknownValues: true })).toEqual([]);
  });
});
