import type { ValidationError } from 'class-validator';
import type { ConfigIssue } from './config-error.js';

/** Turn class-validator's error tree into one issue per bad field, named by its full path. */
export function flattenValidationErrors(
  errors: readonly ValidationError[],
  parent = '',
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const error of errors) {
    const path = joinPath(parent, error.property);
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      issues.push({ path, message: describe(constraint, message, error.property) });
    }
    issues.push(...flattenValidationErrors(error.children ?? [], path));
  }
  return issues;
}

export function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) {
    return `${parent}[${property}]`;
  }
  return parent === '' ? property : `${parent}.${property}`;
}

function describe(constraint: string, message: string, property: string): string {
  if (constraint === 'whitelistValidation') {
    return 'is not a known field';
  }
  if (constraint === 'nestedValidation') {
    return 'must be a mapping (or a list of mappings)';
  }
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
