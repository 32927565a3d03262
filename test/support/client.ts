/** Everything a spec talks to the server with: HTTP, the WebSocket client and the protocol's frames. */
export * from './frames';
export * from './http';
export * from './ws-client';
