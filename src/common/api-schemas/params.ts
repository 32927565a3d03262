import { ApiParam } from '@nestjs/swagger';

/** Path parameters as the handlers check them. */
export const FlowIdParam = () =>
  ApiParam({
    name: 'flowId',
    schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 },
    description: 'Flow id (lower-case letters, digits, dashes)',
  });
export const VersionParam = () => ApiParam({ name: 'version', schema: { type: 'integer' }, description: 'Version number' });
export const UuidParam = (description: string, name = 'id') => ApiParam({ name, schema: { type: 'string', format: 'uuid' }, description });
export const MsisdnParam = () => ApiParam({ name: 'msisdn', schema: { type: 'string', pattern: '^\\d{5,20}$' }, description: 'Caller number, 5–20 digits' });
