import { getMetadataStorage, ValidationTypes } from 'class-validator';

/**
 * The accepting half of the validation pipe for frames, without class-transformer and without
 * building an error object per property: for a DTO whose rules are all plain synchronous
 * class-validator constraints (what the WebSocket DTOs use), the rules are read once from
 * class-validator's own metadata, and a parsed JSON object is checked by calling the very same
 * constraint instances with the same arguments class-validator passes them.
 *
 * It only ever says "valid, here is the DTO" or "ask class-validator": anything it does not
 * accept — an unknown or missing key, a failed rule, a DTO with nested, conditional-with-groups or
 * asynchronous rules — goes the full way (`ValidationPipe`), which refuses it with the same typed
 * error as before. So it can never accept what the full pipe refuses: it applies the full pipe's
 * options (whitelist + forbidNonWhitelisted, forbidUnknownValues, no groups, no skip options) and
 * bails out on everything else. Under load the full way cost ~20 µs and ~30 KB of garbage per frame.
 */
export type FastCheck = (value: unknown) => object | null;

interface PropertyRule {
  name: string;
  /** IsOptional and the like: when one says no, the property's other rules are skipped (class-validator's order). */
  conditions: ((object: object, value: unknown) => boolean)[];
  constraints: { each: boolean; constraints: unknown[]; validate: (value: unknown, args: unknown) => unknown }[];
}

const compiled = new WeakMap<Function, FastCheck | null>();

/** The fast check of a DTO class, or null when its rules are not all plain synchronous constraints. */
export function fastCheckOf(dto: Function): FastCheck | null {
  if (!compiled.has(dto)) compiled.set(dto, compile(dto));
  return compiled.get(dto)!;
}

function compile(dto: Function): FastCheck | null {
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
  const rules = [...byName.values()];
  const Dto = dto as new () => object;
  // class-validator whitelists the instance's keys, which include every field the class declares.
  if (Object.keys(new Dto()).some((key) => !byName.has(key))) return null;
  return (value) => {
    if (!isPlainObject(value)) return null;
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

/** An object JSON.parse could have made: its prototype is an Object.prototype (of any realm). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto !== null && Object.getPrototypeOf(proto) === null;
}
