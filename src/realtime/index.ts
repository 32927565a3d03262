/** The WebSocket transport's public surface: the module, the adapter main.ts installs, the gateway and screen pops (src/cti). */
export { AppWsAdapter, CLOSE_POLICY_VIOLATION, CLOSE_UNSUPPORTED_DATA } from './app-ws-adapter';
export { RealtimeGateway } from './realtime.gateway';
export { RealtimeModule } from './realtime.module';
export { type ScreenPop, ScreenPops } from './screen-pops';
