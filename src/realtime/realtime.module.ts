import { Module } from '@nestjs/common';
import { CallsModule } from '../calls';
import { FloorModule } from '../floor';
import { FlowsModule } from '../flows/flows.module';
import { Connections } from './connections';
import { RealtimeGateway } from './realtime.gateway';

/** The WebSocket: its one gateway and session store (the adapter in main.ts reads the store at the handshake). */
@Module({
  imports: [CallsModule, FloorModule, FlowsModule],
  providers: [Connections, RealtimeGateway],
})
export class RealtimeModule {}
