import { verifySecret } from '../auth/password.js';
import { checkHouseholdRows } from './household-rows.js';
import { hashPins } from './pin.js';
import { parseCsv, rowsByHeader } from './spreadsheet.js';

const groups = new Map([
  ['第一组', 11],
  ['第二组', 12],
]);
const rowsOf = (csv: string) => rowsByHeader(parseCsv(csv), ['户主姓名', '家庭人口']);

describe('checkHouseholdRows', () => {
  it('should turn good rows into households, with groups matched by name and empty cells as null', () => {
    const { households, problems } = checkHouseholdRows(
      rowsOf('户主姓名,村民小组,家庭人口,联系电话\n李大山,第二组,4,13800001111\n王秀英,,1,\n'),
      groups,
    );
    expect(problems).toEqual([]);
    expect(households).toEqual([
      {
        line: 2,
        headName: '李大山',
        groupId: 12,
        memberCount: 4,
        phone: '13800001111',
        pin: null,
        wantsPin: false,
      },
      { line: 3, headName: '王秀英', groupId: null, memberCount: 1, phone: null, pin: null, wantsPin: false },
    ]);
  });

  it('should name every problem of every row by its spreadsheet row number', () => {
    const { problems } = checkHouseholdRows(
      rowsOf('户主姓名,村民小组,家庭人口,联系电话\n好人,第一组,3,\n,第三组,0,abc\n坏人,第一组,100,\n'),
      groups,
    );
    expect(problems).toEqual([
      '第 3 行：户主姓名没有填；本村没有“第三组”这个村民小组；家庭人口应为 1–99 的整数；联系电话应为 5–20 位数字',
      '第 4 行：家庭人口应为 1–99 的整数',
    ]);
  });

  it('should read a PIN column, typed with full-width brackets or not, and check each PIN', () => {
    const { households, problems } = checkHouseholdRows(
      rowsOf('户主姓名,家庭人口,密码（PIN）\n甲,1,246810\n乙,2,\n丙,3,12a4\n'),
      groups,
    );
    expect(households.map((h) => [h.pin, h.wantsPin])).toEqual([
      ['246810', true],
      [null, true],
      ['12a4', true],
    ]);
    expect(problems).toEqual(['第 4 行：密码(PIN)应为 4–8 位数字']);
  });
});

describe('hashPins', () => {
  it('should hash each PIN in its place and leave no PIN as none', async () => {
    const hashes = await hashPins(['1111', null, '333333']);
    expect(hashes[1]).toBeNull();
    expect(await verifySecret('1111', hashes[0])).toBe(true);
    expect(await verifySecret('333333', hashes[2])).toBe(true);
    expect(await verifySecret('1111', hashes[2])).toBe(false);
  });
});
