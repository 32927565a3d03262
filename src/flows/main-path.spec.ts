import * as fs from 'node:fs';
import * as path from 'node:path';
import { mainPath } from './main-path';

describe('mainPath', () => {
  it('is the blueprint order of suspend-service, from eligibility to completion', () => {
    const flow = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../flows/suspend-service.json'), 'utf8'));
    expect(mainPath(flow)).toEqual([
      'check-eligibility', 'confirm-reason', 'warn', 'upsell', 'verify', 'checking-password',
      'execute', 'executing', 'remind', 'close', 'completed',
    ]);
  });
});
