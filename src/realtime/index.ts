/** The WebSocket transport's public surface: the module, the adapter main.ts installs, and the gateway. */
export { AppWsAdapter, CLOSE_POLICY_VIOLATION, CLOSE_UNSUPPORTED_DATA } from './app-ws-adapter';
export { RealtimeGateway } from './realtime.gateway';
export { RealtimeModule } from './realtime.module';
