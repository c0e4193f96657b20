import { type Static, type TSchema, Type } from '@sinclair/typebox';

/** Schema helpers every door uses. Imports only TypeBox, so any schemas file may build on them. */

/** A value or null, as one JSON type list: serialized as fast as the value alone. */
export const Nullable = <T extends TSchema>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });

/** An empty answer (204): `reply.code(204).send()` with nothing to send. */
export const NoContent = Type.Unsafe<void>(Type.Null({ description: 'No content' }));
