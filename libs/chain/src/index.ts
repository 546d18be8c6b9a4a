export * from './errors.js';
export * from './replay-store.js';
export * from './www-authenticate.js';
