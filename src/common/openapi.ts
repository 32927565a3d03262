import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The HTTP API described with OpenAPI: the document at /api/openapi.json, a browsable UI at /api/docs. */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('laihua')
    .setDescription('Hotline call assistant: flows, calls, and flow authoring (supervisors). WebSocket protocol: docs/PROTOCOL.md.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json' });
}
