/**
 * Writes the OpenAPI document the server serves at /api/openapi.json, without starting it (Nest's
 * preview mode: the module graph and its metadata, no provider instantiated, no database opened):
 *
 *   node dist/openapi.cli.js dist/openapi.json
 *
 * `npm run lint` lints what it writes with Redocly (redocly.yaml).
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import * as fs from 'node:fs';
import { AppModule } from './app.module';
import { buildOpenApiDocument } from './openapi-document';

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node dist/openapi.cli.js <output.json>');
  const app = await NestFactory.create(AppModule, { preview: true, logger: false, abortOnError: false });
  fs.writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  await app.close();
}

main().catch((e: unknown) => {
  console.error((e as Error).stack ?? e);
  process.exit(1);
});
