/** The live floor's public surface (its WebSocket messages are served by src/realtime). */
export { FloorModule } from './floor.module';
export { type FloorSubscriber, FloorService } from './floor.service';
export type { FloorSnapshot } from './floor-snapshot';
