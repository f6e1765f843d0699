/** The printable door-plate code: village code, a dash, the village's running number (at least four digits). */
export function householdCode(villageCode: string, number: number): string {
  return `${villageCode}-${String(number).padStart(4, '0')}`;
}
