import { FastValidated } from '../../common/validation-fast-path';
import { RequestDto } from './call-messages.dto';

/** `floor.subscribe {requestId}`: nothing else (unknown fields are refused like every message). */
@FastValidated()
export class FloorSubscribeDto extends RequestDto {}

@FastValidated()
export class FloorUnsubscribeDto extends RequestDto {}
