import { Type, type ClassConstructor } from 'class-transformer';
import { IsArray, IsDefined, IsOptional, ValidateNested } from 'class-validator';

export interface ValidateSectionOptions {
  /** Report `<path> is required` when the section is absent; default optional. */
  readonly required?: boolean;
  /** The section is a list of mappings (`peers:`), each validated by the schema class. */
  readonly list?: boolean;
}

/**
 * A nested section of a configuration file (`listen:`, or a list such as `peers:`), turned into
 * an instance of `schema` and validated by it, so unknown fields inside are named by full path.
 * Class-transformer's `@Type`, class-validator's `@ValidateNested` and `@IsArray` (lists), and
 * `@IsDefined` or `@IsOptional`, in one decorator. Does not refuse an empty list.
 *
 * @example
 * class Schema {
 *   @ValidateSection(() => ListenSchema, { required: true })
 *   listen!: ListenSchema;
 * }
 */
export function ValidateSection(
  schema: () => ClassConstructor<object>,
  options: ValidateSectionOptions = {},
): PropertyDecorator {
  // Registered in the order the stacked decorators they replace were applied (bottom up).
  const decorators: PropertyDecorator[] = [
    options.required === true ? IsDefined({ message: '$property is required' }) : IsOptional(),
    ...(options.list === true ? [IsArray()] : []),
    ValidateNested(options.list === true ? { each: true } : undefined),
    Type(schema),
  ];
  return (target: object, propertyName: string | symbol) => {
    for (const decorator of decorators) {
      decorator(target, propertyName);
    }
  };
}
