/**
 * Schema declarations for Kafka messages, shaped like Apache Kafka's
 * clients/src/main/resources/common/message/*.json, plus the type-level mapping from a
 * schema to the TypeScript shape of its body.
 *
 * A field is { name, type, versions, nullableVersions?, taggedVersions?, tag?, default?, fields? }:
 * - name: Kafka's JSON name in camelCase (TopicData → topicData).
 * - type: a scalar ('int8' 'int16' 'int32' 'int64' 'float64' 'bool' 'string' 'bytes' 'uuid'
 *   'records'), an array of scalars ('[]int32', '[]string', …), 'struct' or '[]struct' (with
 *   `fields`). Kafka names its struct types; we do not need the names.
 * - versions / nullableVersions / taggedVersions: '0+', '3-7', '5' or 'none'.
 * - default: the value a decoder yields when the field is absent at a version (or a tagged
 *   field is not sent), and what an encoder writes when the caller leaves it undefined.
 *   Without one: 0, 0n, false, '', zero uuid, empty bytes, [], a struct of defaults; records
 *   default to null.
 *
 * Body shapes: decoding yields `Body<fields>` (every field of every version present, absent
 * ones at their default); encoding takes `Input<fields>` (every field optional, int64 as
 * bigint or safe-integer number).
 */

export type IntType = 'int8' | 'int16' | 'int32';
export type ScalarType = IntType | 'int64' | 'float64' | 'bool' | 'string' | 'bytes' | 'uuid' | 'records';
export type ArrayScalarType = IntType | 'int64' | 'string' | 'uuid';
export type FieldType = ScalarType | `[]${ArrayScalarType}` | 'struct' | '[]struct';

export type DefaultValue = number | bigint | boolean | string | null;

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly versions: string;
  readonly nullableVersions?: string;
  readonly taggedVersions?: string;
  readonly tag?: number;
  readonly default?: DefaultValue;
  readonly fields?: readonly FieldSpec[];
}

export interface MessageSchema {
  readonly apiKey: number;
  readonly name: string;
  readonly type: 'request' | 'response';
  /** The versions this schema is declared (and served) for. */
  readonly validVersions: string;
  readonly flexibleVersions: string;
  readonly fields: readonly FieldSpec[];
}

type ScalarValue<T> = T extends IntType | 'float64'
  ? number
  : T extends 'int64'
    ? bigint
    : T extends 'bool'
      ? boolean
      : T extends 'string' | 'uuid'
        ? string
        : T extends 'bytes' | 'records'
          ? Uint8Array
          : never;

type ScalarInput<T> = T extends 'int64' ? bigint | number : ScalarValue<T>;

type NullOf<F> = F extends { readonly nullableVersions: string }
  ? null
  : F extends { readonly type: 'records' }
    ? null
    : never;

type ChildrenOf<F> = F extends { readonly fields: infer Fs extends readonly FieldSpec[] } ? Fs : readonly [];

type ValueOf<F extends FieldSpec> =
  | (F['type'] extends '[]struct'
      ? Body<ChildrenOf<F>>[]
      : F['type'] extends 'struct'
        ? Body<ChildrenOf<F>>
        : F['type'] extends `[]${infer S}`
          ? ScalarValue<S>[]
          : ScalarValue<F['type']>)
  | NullOf<F>;

type InputOf<F extends FieldSpec> =
  | (F['type'] extends '[]struct'
      ? readonly Input<ChildrenOf<F>>[]
      : F['type'] extends 'struct'
        ? Input<ChildrenOf<F>>
        : F['type'] extends `[]${infer S}`
          ? readonly ScalarInput<S>[]
          : ScalarInput<F['type']>)
  | NullOf<F>;

/** The decoded shape of a struct with these fields. */
export type Body<Fs extends readonly FieldSpec[]> = { [F in Fs[number] as F['name']]: ValueOf<F> };

/** What an encoder accepts for a struct with these fields (all optional: defaults fill in). */
export type Input<Fs extends readonly FieldSpec[]> = { [F in Fs[number] as F['name']]?: InputOf<F> };

export type BodyOf<S extends MessageSchema> = Body<S['fields']>;
export type MessageInput<S extends MessageSchema> = Input<S['fields']>;
