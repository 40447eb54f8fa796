// PostgreSQL mirror of db/schema: same tables, same SQL column names, values stored as SQLite stores them
// (0/1 booleans, millisecond bigints). db/schema-parity.test.ts fails when the two drift apart.
export * from './auth';
export * from './customers';
export * from './privacy';
export * from './journeys';
export * from './messaging';
export * from './dashboard';
