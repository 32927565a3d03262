import { TransformationType } from 'class-transformer';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';

// The one store of class-transformer's decorators; the package ships its types apart from its code.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformerMetadata = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadataStorage }).defaultMetadataStorage;

/**
 * The accepting half of the validation pipe, without class-transformer and without building an
 * error object per property: for a DTO whose rules are all plain synchronous class-validator
 * constraints and that no class-transformer decorator shapes (the WebSocket DTOs), the rules are
 * read once from class-validator's own metadata, and a parsed JSON object (or the DTO an earlier
 * pass made of it: Nest runs the global pipe, then the gateway's) is checked by calling the very
 * same constraint instances with the same arguments class-validator passes them.
 *
 * It only ever says "valid, here is the DTO" or "ask the full pipe": anything it does not accept —
 * an unknown or missing key, a failed rule, a DTO with nested, grouped, conditional or asynchronous
 * rules — goes the full way (`ValidationPipe`), which refuses it with the same typed error as
 * before. So it can never accept what the full pipe refuses: it applies the full pipe's options
 * (whitelist + forbidNonWhitelisted, forbidUnknownValues, no groups, no skip options) and bails out
 * on everything else. Under load the full way cost ~15–20 µs and ~30 KB of garbage per frame.
 */
export type FastCheck = (value: unknown) => object | null;

interface PropertyRule {
  name: string;
  /** IsOptional and the like: when one says no, the property's other rules are skipped (class-validator's order). */
  conditions: ((object: object, value: unknown) => boolean)[];
  constraints: { each: boolean; constraints: unknown[]; validate: (value: unknown, args: unknown) => unknown }[];
}

/** A DTO class as class-validator and class-transformer key their metadata. */
type DtoClass = abstract new (...args: never[]) => unknown;

const compiled = new WeakMap<DtoClass, FastCheck | null>();
const optedIn = new WeakSet<DtoClass>();

/**
 * Marks a DTO checked on the hot path (a WebSocket frame's): the pipe tries the fast check on it
 * first. Other DTOs (HTTP bodies) always take the full pipe.
 */
export function FastValidated(): ClassDecorator {
  return (target) => void optedIn.add(target as unknown as DtoClass);
}

/** The fast check of a DTO class; null when it has not opted in or its rules are not all plain synchronous constraints. */
export function fastCheckOf(dto: DtoClass): FastCheck | null {
  if (!optedIn.has(dto)) return null;
  if (!compiled.has(dto)) compiled.set(dto, compile(dto));
  return compiled.get(dto)!;
}

function compile(dto: DtoClass): FastCheck | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, '', false, false, undefined);
  if (!metadatas.length) return null; // forbidUnknownValues: the full pipe refuses it
  const byName = new Map<string, PropertyRule>();
  for (const m of metadatas) {
    if (m.always !== undefined || m.groups?.length || m.validateIf) return null;
    const rule = byName.get(m.propertyName) ?? { name: m.propertyName, conditions: [], constraints: [] };
    byName.set(m.propertyName, rule);
    if (m.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      rule.conditions.push(m.constraints[0] as PropertyRule['conditions'][number]);
    } else if (m.type === ValidationTypes.CUSTOM_VALIDATION && m.constraintCls) {
      for (const c of storage.getTargetValidatorConstraints(m.constraintCls)) {
        if (c.async) return null;
        const instance = c.instance as { validate: PropertyRule['constraints'][number]['validate'] };
        rule.constraints.push({ each: m.each === true, constraints: m.constraints, validate: instance.validate.bind(instance) });
      }
    } else {
      return null; // nested, promise, isDefined, whitelist-only…: class-validator's own path
    }
  }
  if (shapedByClassTransformer(dto, [...byName.keys()])) return null; // @Type, @Transform, @Expose…: the copy is not the frame
  const rules = [...byName.values()];
  const Dto = dto as new () => object;
  // class-validator whitelists the instance's keys, which include every field the class declares.
  if (Object.keys(new Dto()).some((key) => !byName.has(key))) return null;
  return (value) => {
    if (!isPlainObject(value) && !(isObject(value) && Object.getPrototypeOf(value) === Dto.prototype)) return null;
    const plain = value as Record<string, unknown>;
    for (const key of Object.keys(plain)) if (!byName.has(key)) return null; // forbidNonWhitelisted
    const object = Object.assign(new Dto(), plain) as Record<string, unknown>;
    for (const rule of rules) {
      const v = object[rule.name];
      if (!rule.conditions.every((condition) => condition(object, v))) continue;
      for (const c of rule.constraints) {
        const args = { targetName: dto.name, property: rule.name, object, value: v, constraints: c.constraints };
        const each = c.each && (Array.isArray(v) || v instanceof Set || v instanceof Map);
        const items: unknown[] = each ? (Array.isArray(v) ? v : [...(v as Set<unknown> | Map<unknown, unknown>).values()]) : [v];
        for (const item of items) {
          const ok = c.validate(item, args);
          if (ok !== true) return null; // false, or a promise: the full pipe decides (and words the error)
        }
      }
    }
    return object;
  };
}

function shapedByClassTransformer(dto: DtoClass, properties: string[]): boolean {
  if (transformerMetadata.getExposedMetadatas(dto).length || transformerMetadata.getExcludedMetadatas(dto).length) return true;
  return properties.some(
    (p) => transformerMetadata.findTypeMetadata(dto, p) || transformerMetadata.findTransformMetadatas(dto, p, TransformationType.PLAIN_TO_CLASS).length,
  );
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** An object JSON.parse could have made: its prototype is an Object.prototype (of any realm). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto !== null && Object.getPrototypeOf(proto) === null;
}
