// Domain vocabularies: the closed value sets that the schema (db/schema) stores and the domain
// (lib/) and UI use. Constants only, no imports, so every layer may depend on them.
export * from './auth';
export * from './consent';
export * from './contact';
export * from './customers';
export * from './journeys';
export * from './messaging';
export * from './privacy';
export * from './delivery';
