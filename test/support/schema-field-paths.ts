import 'reflect-metadata';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';
import { getMetadataStorage } from 'class-validator';

type SchemaClass = abstract new (...args: never[]) => object;

/**
 * Every field a configuration schema class accepts, as documented paths: `listen.port`,
 * `clients[].secretHash`. Read from the class-validator and class-transformer metadata the
 * schema's decorators register, so the list cannot drift from what the loader validates.
 */
export function schemaFieldPaths(schema: SchemaClass, prefix = ''): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  const properties = [...new Set(metadata.map((m) => m.propertyName))];
  return properties.flatMap((property) => {
    const nested = defaultMetadataStorage.findTypeMetadata(schema, property);
    if (nested === undefined) {
      return [`${prefix}${property}`];
    }
    const list = metadata.some(
      (m) => m.propertyName === property && m.type === 'nestedValidation' && m.each === true,
    );
    const section = nested.typeFunction() as SchemaClass;
    return schemaFieldPaths(section, `${prefix}${property}${list ? '[]' : ''}.`);
  });
}
