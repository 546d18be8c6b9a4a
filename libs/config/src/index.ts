export { ConfigError, type ConfigIssue } from './config-error.js';
export { deepFreeze } from './deep-freeze.js';
export { flattenValidationErrors } from './flatten-validation-errors.js';
export { keySourceIssues, type KeySource } from './key-source-issues.js';
export { IsPublicJwkSet } from './jwks.validators.js';
export { ListenSchema } from './listen.schema.js';
export { readConfigFile } from './read-config-file.js';
export { resolveConfigPath, type ResolveConfigPathOptions } from './resolve-config-path.js';
export { baseUrlProblem } from './url-rules.js';
// The URL and JWK Set rules are the chain library's, which its trust configuration applies too.
export {
  endpointUrlProblem,
  isLoopbackHost,
  issuerUrlProblem,
  publicJwkSetProblem,
} from '@baton/chain/protocol';
export { IsBaseUrl, IsEndpointUrl, IsIssuerUrl } from './url.validators.js';
export { validateConfig, type ValidatedConfig } from './validate-config.js';
export { ValidateSection, type ValidateSectionOptions } from './validate-section.js';
