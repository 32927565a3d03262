import { Injectable } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import { CallEngine, CallViews, type LiveCall } from '../calls';
import { AppError } from '../common/app-error';
import { Connections } from './connections';
import { isOpen, sendFrame } from './frames';
import { sessionHolds } from './session-check';

/** What the telephony system says about a call it put through to an agent (src/cti). */
export interface ScreenPop {
  username: string;
  callerNumber: string;
  flowId: string;
  ctiCallId: string;
  ivrPath: string[];
}

/**
 * The screen pop (docs/CTI.md): a call the telephony system put through to an agent is started for
 * them — as their own `call.start` would, caller looked up, on the business the IVR suggested — and
 * pushed as `call.popped` to each of their open sockets, which watch it from then on.
 */
@Injectable()
export class ScreenPops {
  constructor(
    private readonly connections: Connections,
    private readonly engine: CallEngine,
    private readonly views: CallViews,
    private readonly auth: AuthService,
  ) {}

  /** AGENT_NOT_CONNECTED (nothing started) when the agent has no open socket with a session that still holds. */
  async pop({ username, callerNumber, flowId, ctiCallId, ivrPath }: ScreenPop): Promise<LiveCall> {
    const screens = [...this.connections.ofUsername(username)].filter((c) => isOpen(c.socket) && sessionHolds(this.auth, c));
    if (!screens.length) throw new AppError('AGENT_NOT_CONNECTED', `Agent '${username}' has no call screen open on this server`);
    const call = await this.engine.start(screens[0].user, callerNumber, flowId, { cti: { ctiCallId, ivrPath } });
    for (const connection of screens) {
      this.connections.watch(connection, call.id);
      sendFrame(connection.socket, { event: 'call.popped', data: { view: this.views.of(call, connection.locale), callerNumber, ctiCallId, ivrPath } });
    }
    return call;
  }
}
