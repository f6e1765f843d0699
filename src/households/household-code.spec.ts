import { householdCode } from './household-code.js';

describe('householdCode', () => {
  it('should pad the number to four digits after the village code', () => {
    expect(householdCode('TY', 1)).toBe('TY-0001');
    expect(householdCode('TY', 123)).toBe('TY-0123');
  });

  it('should keep growing past 9999 rather than wrap or reuse', () => {
    expect(householdCode('TY', 10000)).toBe('TY-10000');
  });
});
