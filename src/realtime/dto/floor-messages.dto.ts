import { RequestDto } from './call-messages.dto';

/** `floor.subscribe {requestId}`: nothing else (unknown fields are refused like every message). */
export class FloorSubscribeDto extends RequestDto {}

export class FloorUnsubscribeDto extends RequestDto {}
