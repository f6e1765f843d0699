/** PostgreSQL returns bigint as a string; epoch milliseconds fit a JS number exactly. */
export const bigintAsNumber = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
