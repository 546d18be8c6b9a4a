import type { ValueTransformer } from 'typeorm';

/** bigint comes back as a string from PostgreSQL and a number from SQLite; positions are numbers. */
export const bigInteger: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
