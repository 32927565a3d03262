import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallsModule } from '../calls';
import { FlowsModule } from '../flows/flows.module';
import { RealtimeModule } from '../realtime';
import { CtiController } from './cti.controller';
import { CtiEventEntity } from './cti-event.entity';
import { CtiEventStore } from './cti-event-store';
import { CtiEvents } from './cti-events.service';
import { CtiSignatureGuard } from './cti-signature.guard';

/** Telephony (docs/CTI.md): the signed webhook, the events it has received, the IVR map; screen pops go through src/realtime. */
@Module({
  imports: [CallsModule, FlowsModule, RealtimeModule, TypeOrmModule.forFeature([CtiEventEntity])],
  controllers: [CtiController],
  providers: [CtiEvents, CtiEventStore, CtiSignatureGuard],
})
export class CtiModule {}
