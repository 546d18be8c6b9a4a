import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { flattenValidationErrors } from './flatten-validation-errors.js';

export interface ValidatedConfig<T> {
  /** The raw value as an instance of the schema class; may be invalid where `issues` say so. */
  readonly schema: T;
  /** One issue per bad field, by full path (`peers[1].issuer`); empty when every field is valid. */
  readonly issues: ConfigIssue[];
}

/**
 * Check a parsed configuration file against a class-validator schema class. Fields the schema
 * does not declare are reported (`extra is not a known field`); each field reports its first
 * failing constraint. Returns the issues instead of throwing, so a caller can add its
 * cross-field rules and throw one {@link ConfigError} listing everything. Does not apply
 * defaults or check rules across fields. The schema classes must be declared after
 * `reflect-metadata` is loaded when they use class-transformer's `@Type`.
 *
 * @example
 * const { schema, issues } = validateConfig(BrokerConfigSchema, readConfigFile(path), path);
 * if (issues.length > 0) throw new ConfigError(path, issues);
 * @throws ConfigError naming `source` when the top level is not a mapping.
 */
export function validateConfig<T extends object>(
  schemaClass: ClassConstructor<T>,
  raw: unknown,
  source: string,
): ValidatedConfig<T> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(source, [
      { path: '', message: 'must contain a mapping of settings at the top level' },
    ]);
  }
  const schema = plainToInstance(schemaClass, raw);
  const issues = flattenValidationErrors(
    validateSync(schema, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true }),
  );
  return { schema, issues };
}
