// PostgreSQL mirror of db/schema: same tables, same SQL column names, same TypeScript row types.
// db/schema-parity.test.ts fails when the two drift apart.
export * from './auth';
export * from './customers';
export * from './privacy';
export * from './journeys';
export * from './messaging';
export * from './dashboard';
