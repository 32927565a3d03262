import { Module } from '@nestjs/common';
import { CallsModule } from '../calls';
import { FloorModule } from '../floor';
import { FlowsModule } from '../flows/flows.module';
import { TrainingModule } from '../training';
import { WorkItemsModule } from '../work-items';
import { AppConfig } from '../config/app-config';
import { Connections } from './connections';
import { FrameUsageShares } from './frame-usage-shares.service';
import { WsRateLimiter } from './rate-limit';
import { RealtimeGateway } from './realtime.gateway';
import { ScreenPops } from './screen-pops';

/** The WebSocket: its one gateway, session store and frame budgets (the adapter in main.ts reads both at the handshake); screen pops for src/cti. */
@Module({
  imports: [CallsModule, FloorModule, FlowsModule, TrainingModule, WorkItemsModule],
  providers: [
    Connections,
    RealtimeGateway,
    { provide: WsRateLimiter, useFactory: (config: AppConfig) => new WsRateLimiter(config), inject: [AppConfig] },
    FrameUsageShares,
    ScreenPops,
  ],
  exports: [ScreenPops],
})
export class RealtimeModule {}
