import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { closedSchema, isClosedSchema } from './closed-schemas.js';

describe('closed request schemas', () => {
  it('closes every object, nested ones and those in arrays and unions included, without changing the original', () => {
    const original = Type.Object({
      name: Type.String(),
      address: Type.Object({ city: Type.String() }),
      lines: Type.Array(Type.Object({ text: Type.String() })),
      either: Type.Union([Type.Object({ a: Type.String() }), Type.String()]),
    });
    const closed = closedSchema(original);
    expect(isClosedSchema(original)).toBe(false);
    expect(isClosedSchema(closed)).toBe(true);
    expect(closed.additionalProperties).toBe(false);
    expect((closed.properties as any).address.additionalProperties).toBe(false);
    expect((closed.properties as any).lines.items.additionalProperties).toBe(false);
    expect((closed.properties as any).either.anyOf[0].additionalProperties).toBe(false);
    expect(original.additionalProperties).toBeUndefined();
  });

  it('keeps an object that says what else it takes as it is', () => {
    const map = Type.Record(Type.String(), Type.Number());
    expect(closedSchema(map)).toEqual({ ...map });
    const open = Type.Object({ a: Type.String() }, { additionalProperties: true });
    expect(closedSchema(open).additionalProperties).toBe(true);
  });
});
