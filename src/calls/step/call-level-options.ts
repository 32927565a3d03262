import type { InputDefinition, LocalizedText } from '../../flows/flow-definition';

/**
 * Options that belong to the call, not to any one blueprint: the hotline's own moves between
 * businesses. The engine offers them; flows never name them.
 */
export const ANOTHER_BUSINESS = 'another-business';
export const FINISH_CALL = 'finish-call';
export const ADD_NEED = 'add-need';

export const CALL_LEVEL_LABELS: Record<string, LocalizedText> = {
  [ANOTHER_BUSINESS]: { 'zh-CN': '办理下一项业务', en: 'Handle another business' },
  [FINISH_CALL]: { 'zh-CN': '没有其他需求，结束通话', en: 'No other need — close the call' },
  [ADD_NEED]: { 'zh-CN': '客户还有其他需求（稍后办理）', en: 'Customer has another need (do it next)' },
};

export const FLOW_ID_INPUT: Omit<InputDefinition, 'values'> = {
  name: 'flowId',
  type: 'enum',
  required: true,
  label: { 'zh-CN': '业务', en: 'Business' },
};
