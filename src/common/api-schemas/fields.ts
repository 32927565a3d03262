import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import type { Locale, LocalizedText } from '../../../protocol/flow-definition';

/**
 * Shorthands for the response schemas of the OpenAPI document. Each schema class implements the
 * protocol type it documents (protocol/*.d.ts), so the compiler refuses a class that lacks a field
 * of it or types one differently; the e2e suites validate every real response against the document
 * (test/support/openapi-check.ts), which catches what the decorators say wrongly.
 */
type Options = ApiPropertyOptions & { optional?: boolean; nullable?: boolean };
export const prop = (schema: Record<string, unknown>, { optional, ...o }: Options = {}) =>
  ApiProperty({ ...schema, ...o, required: !optional } as ApiPropertyOptions);

export const Str = (o?: Options) => prop({ type: String }, o);
export const Int = (o?: Options) => prop({ type: 'integer' }, o);
export const Num = (o?: Options) => prop({ type: Number }, o);
export const Bool = (o?: Options) => prop({ type: Boolean }, o);
export const DateTime = (o?: Options) => prop({ type: String, format: 'date-time' }, o);
export const Enum = (values: readonly string[], o?: Options) => prop({ type: String, enum: [...values] }, o);
export const Strs = (o?: Options) => prop({ type: [String] }, o);
/** Any JSON object. */
export const Obj = (o?: Options) => prop({ type: 'object', additionalProperties: true }, o);
/** Any JSON value (the document drops the `type` @nestjs/swagger would infer: buildOpenApiDocument). */
export const ANY_JSON = 'x-any-json';
export const Any = (o?: Options) => prop({ [ANY_JSON]: true }, o);
/** A schema class, or an array of one. */
// (@nestjs/swagger takes a function for a lazy type only when it is named `type`, as in `{ type: () => X }`.)
export const Of = (schema: () => unknown, o?: Options) => prop({ type: () => schema() }, o);
export const ArrayOf = (schema: () => unknown, o?: Options) => prop({ type: () => schema(), isArray: true }, o);

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const LANES = ['customer', 'frontstage', 'backstage', 'support'] as const;
export const MARKS = ['W', 'F', 'D', 'C', 'M'] as const;
export const FLOW_KINDS = ['business', 'enter', 'hang-up'] as const;
export const CALL_STATUSES = ['active', 'completed', 'abandoned'] as const;

export class LocalizedTextSchema implements LocalizedText {
  @Str() 'zh-CN': string;
  @Str() en: string;
}

/** A name in both languages, or a plain string (protocol/customers LocalizedName). */
export const LocalizedNameField = (o?: Options) =>
  prop(
    {
      oneOf: [
        { type: 'string' },
        {
          type: 'object',
          required: [...LOCALES],
          properties: Object.fromEntries(LOCALES.map((l) => [l, { type: 'string' }])),
        },
      ],
    },
    o,
  );
