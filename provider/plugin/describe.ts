/**
 * Typed property descriptions for the plugin's Pulumi schema. `Described<T>` demands one description per key of
 * a TypeScript type, with a schema type that fits the key's value type and `required` exactly when the key is
 * required and never null. So when provider/types.ts (or a type it uses) changes, the descriptions in schema.ts
 * stop compiling until the schema says the same: the TypeScript types are the one source.
 */

export interface ScalarSpec {
  type: "string" | "integer" | "number" | "boolean";
}
export interface RefSpec {
  $ref: string;
}
export interface ArraySpec {
  type: "array";
  items: PropertyType;
}
export interface MapSpec {
  type: "object";
  additionalProperties: PropertyType;
}
export interface OneOfSpec {
  oneOf: PropertyType[];
}
export type PropertyType = ScalarSpec | RefSpec | ArraySpec | MapSpec | OneOfSpec;

interface StringSpec extends ScalarSpec {
  type: "string";
}
interface NumericSpec extends ScalarSpec {
  type: "integer" | "number";
}
interface BooleanSpec extends ScalarSpec {
  type: "boolean";
}

/** The schema types that can describe a TypeScript value type (null and undefined aside). */
export type SpecFor<V> = [V] extends [string]
  ? StringSpec
  : [V] extends [number]
    ? NumericSpec
    : [V] extends [boolean]
      ? BooleanSpec
      : [V] extends [string | number]
        ? OneOfSpec
        : [V] extends [readonly unknown[]]
          ? ArraySpec
          : [V] extends [object]
            ? RefSpec | MapSpec
            : never;

/** true when K is a required key of T whose value cannot be null. */
type IsRequired<T, K extends keyof T> = Record<never, never> extends Pick<T, K> ? false : null extends T[K] ? false : true;

export type PropertyDescription<T, K extends keyof T> = SpecFor<NonNullable<T[K]>> & {
  description: string;
  required: IsRequired<T, K>;
  secret?: boolean;
};

export type Described<T> = { [K in keyof Required<T>]-?: PropertyDescription<T, K> };

/** The keys of T that are required and never null, as an exhaustive set. */
export type RequiredKeySet<T> = { [K in keyof T as IsRequired<T, K> extends true ? K : never]-?: true };

export interface PropertySpec {
  type?: string;
  $ref?: string;
  items?: PropertyType;
  additionalProperties?: PropertyType;
  oneOf?: PropertyType[];
  description: string;
  secret?: boolean;
}

export interface ObjectSpec {
  properties: Record<string, PropertySpec>;
  required?: string[];
}

/** The schema's `properties` and `required` of a description, in the description's key order. */
export function objectSpec(described: Record<string, PropertySpec & { required: boolean }>): ObjectSpec {
  const properties: Record<string, PropertySpec> = {};
  const required: string[] = [];
  for (const [name, { required: isRequired, ...spec }] of Object.entries(described)) {
    properties[name] = spec;
    if (isRequired) required.push(name);
  }
  return required.length > 0 ? { properties, required } : { properties };
}
