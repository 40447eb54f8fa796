export * from './auth';
export * from './customers';
export * from './privacy';
export * from './journeys';
export * from './messaging';
export * from './dashboard';
export * from './lifecycle';
export * from './messages';
