/**
 * The server's whole access surface read from Nest's own metadata, walking AppModule's import
 * graph as Nest does (static and dynamic modules): every HTTP route of every registered
 * controller and every message of every registered WebSocket gateway. Nothing is listed by
 * hand, so a route or message added anywhere in the app shows up here.
 */
import 'reflect-metadata';
import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { GATEWAY_METADATA, MESSAGE_MAPPING_METADATA, MESSAGE_METADATA } from '@nestjs/websockets/constants';
import { AppModule } from '../../src/app.module';

export interface HttpRoute {
  /** `GET /api/calls/:id` */
  key: string;
  method: string;
  path: string;
  controller: string;
  handler: string;
  /** The controller class (its handler's parameter metadata: the body and query DTOs). */
  controllerClass: Type<unknown>;
}

export interface WsMessage {
  event: string;
  gateway: string;
  handler: string;
}

type ModuleLike =
  Type<unknown> | { module: Type<unknown>; imports?: unknown[]; controllers?: unknown[]; providers?: unknown[] } | { forwardRef: () => unknown };

function collect(root: Type<unknown>): { controllers: Set<Type<unknown>>; providers: Set<Type<unknown>> } {
  const seen = new Set<unknown>();
  const controllers = new Set<Type<unknown>>();
  const providers = new Set<Type<unknown>>();
  const asClass = (p: unknown): Type<unknown> | undefined => {
    if (typeof p === 'function') return p as Type<unknown>;
    const spec = p as { useClass?: unknown; useExisting?: unknown } | undefined;
    return typeof spec?.useClass === 'function' ? (spec.useClass as Type<unknown>) : undefined;
  };
  const visit = (m: ModuleLike | undefined): void => {
    if (!m || seen.has(m)) return;
    seen.add(m);
    if ('forwardRef' in m) return visit(m.forwardRef() as ModuleLike);
    const dynamic = typeof m === 'object' && 'module' in m ? m : undefined;
    const cls = (dynamic ? dynamic.module : m) as Type<unknown>;
    const read = (key: string) => [
      ...((Reflect.getMetadata(key, cls) as unknown[]) ?? []),
      ...((dynamic as Record<string, unknown[]> | undefined)?.[key] ?? []),
    ];
    for (const c of read(MODULE_METADATA.CONTROLLERS)) controllers.add(c as Type<unknown>);
    for (const p of read(MODULE_METADATA.PROVIDERS)) {
      const k = asClass(p);
      if (k) providers.add(k);
    }
    for (const i of read(MODULE_METADATA.IMPORTS)) visit(i as ModuleLike);
  };
  visit(root);
  return { controllers, providers };
}

/** Handler names up the prototype chain (a controller may inherit its handlers). */
function methodsOf(cls: Type<unknown>): string[] {
  const names = new Set<string>();
  for (let proto = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function') names.add(name);
    }
  }
  return [...names];
}

const join = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/')}`;

export function appSurface(): { routes: HttpRoute[]; messages: WsMessage[] } {
  const { controllers, providers } = collect(AppModule);
  const routes: HttpRoute[] = [];
  for (const controller of controllers) {
    const bases = [Reflect.getMetadata(PATH_METADATA, controller) ?? '/'].flat() as string[];
    for (const handler of methodsOf(controller)) {
      const fn = controller.prototype[handler];
      const paths = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      if (paths === undefined || method === undefined) continue;
      for (const base of bases) {
        for (const p of [paths].flat()) {
          const path = join(base, p);
          routes.push({
            key: `${RequestMethod[method]} ${path}`,
            method: RequestMethod[method],
            path,
            controller: controller.name,
            handler,
            controllerClass: controller,
          });
        }
      }
    }
  }
  const messages: WsMessage[] = [];
  for (const gateway of providers) {
    if (!Reflect.getMetadata(GATEWAY_METADATA, gateway)) continue;
    for (const handler of methodsOf(gateway)) {
      const fn = gateway.prototype[handler];
      if (!Reflect.getMetadata(MESSAGE_MAPPING_METADATA, fn)) continue;
      messages.push({ event: Reflect.getMetadata(MESSAGE_METADATA, fn) as string, gateway: gateway.name, handler });
    }
  }
  return { routes: routes.sort((a, b) => a.key.localeCompare(b.key)), messages: messages.sort((a, b) => a.event.localeCompare(b.event)) };
}
