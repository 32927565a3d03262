import type { DataSource } from 'typeorm';
import type { BackendPort } from '../backend/backend.port';
import type { CallEngine, EndedCall } from '../calls';
import { loadConfig } from '../config/app-config';
import type { DecisionLog } from '../decision-log/decision-log';
import type { FlowCatalog } from '../flows/flow-catalog.service';
import type { CallQa } from '../qa/call-qa.service';
import { Training } from './training.service';

describe('training: which ended calls are scored', () => {
  it('reads training_calls only for a training call that ended, not for every call ending on the floor', async () => {
    let listener: ((ended: EndedCall) => void) | undefined;
    const engine = { onEnded: (l: (ended: EndedCall) => void) => ((listener = l), () => undefined) } as unknown as CallEngine;
    const findOne = jest.fn(async () => null);
    const dataSource = { getRepository: () => ({ find: async () => [], findOne }) } as unknown as DataSource;
    const training = new Training(dataSource, engine, {} as FlowCatalog, {} as BackendPort, {} as CallQa, {} as DecisionLog, loadConfig({}));
    await training.onApplicationBootstrap();
    for (let i = 0; i < 50; i++) listener!({ callId: `live-${i}`, training: null });
    expect(findOne).not.toHaveBeenCalled();
    listener!({ callId: 'trainee-call', training: 'scenario-1' });
    await new Promise((r) => setImmediate(r));
    expect(findOne).toHaveBeenCalledTimes(1);
    expect(findOne).toHaveBeenCalledWith({ where: { callId: 'trainee-call' } });
  });
});
