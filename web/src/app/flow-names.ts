// Generated from flows/*.json by src/flows/web-names.spec.ts (UPDATE_FLOW_NAMES=1): do not edit.
import type { LocalizedText } from '../../../protocol/flow-definition.js';

/** Each flow's title and its steps' titles. */
export const FLOW_NAMES: Record<string, { title: LocalizedText; steps: Record<string, LocalizedText> }> = {
  "bill-inquiry": {
    "title": {
      "zh-CN": "账单查询与定制",
      "en": "Bill inquiry and customisation"
    },
    "steps": {
      "query-bills": {
        "zh-CN": "查询账单",
        "en": "Querying bills"
      },
      "query-failed": {
        "zh-CN": "账单查询未成功",
        "en": "Bill query failed"
      },
      "no-bill": {
        "zh-CN": "暂无已出账账单",
        "en": "No bill issued yet"
      },
      "explain-bill": {
        "zh-CN": "解释账单明细",
        "en": "Explain the bill"
      },
      "next-need": {
        "zh-CN": "确认账单疑问与定制需求",
        "en": "Questions, customisation or offer"
      },
      "choose-customisation": {
        "zh-CN": "选择账单定制方式",
        "en": "Choose how to receive the bill"
      },
      "customising": {
        "zh-CN": "系统办理账单定制",
        "en": "Back end customising the bill"
      },
      "customise-failed": {
        "zh-CN": "账单定制未成功",
        "en": "Customisation not confirmed"
      },
      "customised": {
        "zh-CN": "账单定制成功提醒",
        "en": "Customisation done — reminders"
      },
      "record-dispute": {
        "zh-CN": "记录费用异议",
        "en": "Record the disputed charge"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "账单查询完成",
        "en": "Bill inquiry completed"
      },
      "offer-accepted": {
        "zh-CN": "营销成功，转入相关业务",
        "en": "Offer accepted — switch business"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "brand-change": {
    "title": {
      "zh-CN": "品牌变更",
      "en": "Brand change"
    },
    "steps": {
      "check-eligibility": {
        "zh-CN": "判断是否符合品牌变更条件",
        "en": "Check eligibility"
      },
      "choose-brand": {
        "zh-CN": "介绍品牌并确认目标品牌",
        "en": "Explain the brands and choose the new one"
      },
      "same-brand": {
        "zh-CN": "已是该品牌",
        "en": "Already on that brand"
      },
      "explain-impact": {
        "zh-CN": "告知生效时间及套餐、积分影响",
        "en": "Explain the effective date and plan/points impact"
      },
      "changing": {
        "zh-CN": "提交品牌变更中",
        "en": "Submitting the brand change"
      },
      "execute-failed": {
        "zh-CN": "品牌变更未受理成功",
        "en": "Brand change not accepted"
      },
      "raising-ticket": {
        "zh-CN": "提交工单中",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单未提交成功",
        "en": "Work order not raised"
      },
      "remind": {
        "zh-CN": "提醒变更后注意事项",
        "en": "After-change reminders"
      },
      "close": {
        "zh-CN": "关联推荐并致结束语",
        "en": "Related offer and closing"
      },
      "completed": {
        "zh-CN": "品牌变更已受理",
        "en": "Brand change accepted"
      },
      "not-eligible": {
        "zh-CN": "不符合品牌变更条件",
        "en": "Not eligible for a brand change"
      },
      "no-change": {
        "zh-CN": "无需变更",
        "en": "No change needed"
      },
      "kept-brand": {
        "zh-CN": "客户保留原品牌",
        "en": "Customer keeps the current brand"
      },
      "offer-accepted": {
        "zh-CN": "营销成功，转入相关业务",
        "en": "Offer accepted — switch business"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，安排回访",
        "en": "Recorded by hand — call-back arranged"
      }
    }
  },
  "complaint": {
    "title": {
      "zh-CN": "客户咨询/投诉",
      "en": "Consultation / complaint"
    },
    "steps": {
      "listen-classify": {
        "zh-CN": "倾听并分类",
        "en": "Listen and classify"
      },
      "assess": {
        "zh-CN": "判断能否当场解决",
        "en": "Can I solve it here?"
      },
      "resolved-care": {
        "zh-CN": "确认处理结果并致歉",
        "en": "Confirm the resolution and apologise"
      },
      "escalate": {
        "zh-CN": "升级处理方式",
        "en": "Choose how to escalate"
      },
      "transferring": {
        "zh-CN": "转接专席中",
        "en": "Transferring to a specialist desk"
      },
      "transfer-failed": {
        "zh-CN": "专席未接通",
        "en": "Specialist desk not reached"
      },
      "transfer-care": {
        "zh-CN": "告知转接记录号并交接",
        "en": "Give the reference and hand over"
      },
      "raising-work-order": {
        "zh-CN": "提交工单中",
        "en": "Raising a work order"
      },
      "work-order-failed": {
        "zh-CN": "工单未提交成功",
        "en": "Work order not raised"
      },
      "work-order-care": {
        "zh-CN": "致歉并告知工单号和回复时限",
        "en": "Apologise, give the work-order number and reply time"
      },
      "resolved": {
        "zh-CN": "当场解决",
        "en": "Resolved on the call"
      },
      "transferred": {
        "zh-CN": "已转专席",
        "en": "Transferred to a specialist desk"
      },
      "work-order-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，安排回电",
        "en": "Recorded by hand — call-back arranged"
      }
    }
  },
  "cross-region": {
    "title": {
      "zh-CN": "跨区业务",
      "en": "Cross-region services"
    },
    "steps": {
      "identify-need": {
        "zh-CN": "确认跨区身份与需求",
        "en": "Confirm the cross-region caller and need"
      },
      "check-scope": {
        "zh-CN": "判断能否异地受理",
        "en": "Can it be done remotely?"
      },
      "refer-home": {
        "zh-CN": "告知须在归属地办理",
        "en": "Explain it must be done in the home province"
      },
      "confirm-remote": {
        "zh-CN": "说明跨区受理规则并确认",
        "en": "Explain cross-region handling and confirm"
      },
      "processing": {
        "zh-CN": "提交归属地处理中",
        "en": "Submitting to the home province"
      },
      "execute-failed": {
        "zh-CN": "跨区受理未成功",
        "en": "Cross-region request not completed"
      },
      "raising-ticket": {
        "zh-CN": "提交工单中",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单未提交成功",
        "en": "Work order not raised"
      },
      "remind": {
        "zh-CN": "受理后提醒",
        "en": "After-submission reminders"
      },
      "close": {
        "zh-CN": "关联推荐并致结束语",
        "en": "Related offer and closing"
      },
      "completed": {
        "zh-CN": "跨区受理完成",
        "en": "Cross-region request completed"
      },
      "referred": {
        "zh-CN": "引导回归属地办理",
        "en": "Referred to the home province"
      },
      "not-processed": {
        "zh-CN": "客户暂不办理",
        "en": "Customer decided not to proceed"
      },
      "offer-accepted": {
        "zh-CN": "营销成功，转入相关业务",
        "en": "Offer accepted — switch business"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，安排回访",
        "en": "Recorded by hand — call-back arranged"
      }
    }
  },
  "data-fault": {
    "title": {
      "zh-CN": "上网故障报修",
      "en": "Can't get online — fault report"
    },
    "steps": {
      "check-line": {
        "zh-CN": "确认号码状态",
        "en": "Check the line"
      },
      "checking-network": {
        "zh-CN": "查询网络与数据服务状态",
        "en": "Checking network and data service"
      },
      "network-query-failed": {
        "zh-CN": "网络状态查询未成功",
        "en": "Network check failed"
      },
      "network-result": {
        "zh-CN": "判断网络查询结果",
        "en": "Read the network check"
      },
      "data-barred": {
        "zh-CN": "说明数据服务受限",
        "en": "Explain the data restriction"
      },
      "data-switch": {
        "zh-CN": "检查移动数据开关",
        "en": "Check the mobile-data switch"
      },
      "apn": {
        "zh-CN": "检查APN设置",
        "en": "Check the APN"
      },
      "pushing-apn": {
        "zh-CN": "下发APN设置",
        "en": "Sending the APN settings"
      },
      "apn-push-failed": {
        "zh-CN": "APN设置未发送成功",
        "en": "APN settings not sent"
      },
      "apn-sent": {
        "zh-CN": "指导安装APN设置",
        "en": "Install the APN settings"
      },
      "network-mode": {
        "zh-CN": "检查网络模式",
        "en": "Check the network mode"
      },
      "coverage-check": {
        "zh-CN": "检查信号覆盖",
        "en": "Check the coverage"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "故障已现场解决",
        "en": "Fixed on the call"
      },
      "line-not-working": {
        "zh-CN": "号码状态导致无法上网",
        "en": "The line's status is the cause"
      },
      "known-outage": {
        "zh-CN": "区域网络故障",
        "en": "Known outage in the area"
      },
      "offer-accepted": {
        "zh-CN": "营销成功，转入相关业务",
        "en": "Offer accepted — switch business"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "enter-service": {
    "title": {
      "zh-CN": "进入人工服务",
      "en": "Enter manual service"
    },
    "steps": {
      "ivr-transfer": {
        "zh-CN": "IVR转人工 · 来电弹屏",
        "en": "IVR transfer · screen pop"
      },
      "screen-pop-failed": {
        "zh-CN": "弹屏信息未加载",
        "en": "Screen pop not loaded"
      },
      "greeting": {
        "zh-CN": "问候客户（工号播报）",
        "en": "Greet the caller (state your agent number)"
      },
      "ask-need": {
        "zh-CN": "询问并确认客户需求",
        "en": "Ask and confirm the caller's need"
      },
      "need-identified": {
        "zh-CN": "需求已识别，进入业务办理",
        "en": "Need identified — go to the business"
      },
      "no-need": {
        "zh-CN": "无声电话或无业务需求",
        "en": "Silent call or no need"
      }
    }
  },
  "hang-up": {
    "title": {
      "zh-CN": "挂机",
      "en": "Hang up"
    },
    "steps": {
      "service-request": {
        "zh-CN": "点击服务请求",
        "en": "Click \"service request\""
      },
      "closing": {
        "zh-CN": "致结束语",
        "en": "Closing words"
      },
      "sending-sms": {
        "zh-CN": "发送确认短信",
        "en": "Sending the confirmation SMS"
      },
      "sms-failed": {
        "zh-CN": "确认短信未发出",
        "en": "Confirmation SMS not sent"
      },
      "closed": {
        "zh-CN": "通话结束",
        "en": "Call closed"
      }
    }
  },
  "holiday-plan": {
    "title": {
      "zh-CN": "非常假期",
      "en": "Holiday plan"
    },
    "steps": {
      "explain-product": {
        "zh-CN": "介绍非常假期及资费",
        "en": "Explain the product and its fee"
      },
      "confirm": {
        "zh-CN": "确认开通条件与办理期限",
        "en": "Confirm eligibility and the period"
      },
      "opening": {
        "zh-CN": "提单办理非常假期",
        "en": "Back end setting up the Holiday plan"
      },
      "open-failed": {
        "zh-CN": "办理未成功",
        "en": "Set-up not confirmed"
      },
      "remind": {
        "zh-CN": "办理成功提醒",
        "en": "Set up — reminders"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "非常假期办理完成",
        "en": "Holiday plan set up"
      },
      "declined": {
        "zh-CN": "客户暂不开通",
        "en": "Customer declined"
      },
      "not-eligible": {
        "zh-CN": "不符合开通条件",
        "en": "Not eligible to open"
      },
      "offer-accepted": {
        "zh-CN": "转入客户选择的产品",
        "en": "Switch to the chosen product"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "intl-roaming": {
    "title": {
      "zh-CN": "国际及港澳台业务",
      "en": "International and HK/Macau/Taiwan roaming"
    },
    "steps": {
      "check-eligibility": {
        "zh-CN": "判断是否符合开通条件",
        "en": "Check eligibility"
      },
      "ask-destination": {
        "zh-CN": "确认目的地",
        "en": "Confirm the destination"
      },
      "care": {
        "zh-CN": "核对手机制式并告知漫游资费",
        "en": "Check the handset network mode and explain charges"
      },
      "open-intl-long-distance": {
        "zh-CN": "告知同时开通国际长途",
        "en": "Explain that international long distance is opened too"
      },
      "confirm-open": {
        "zh-CN": "确认开通内容",
        "en": "Confirm what will be opened"
      },
      "opening-ild": {
        "zh-CN": "开通国际长途中",
        "en": "Opening international long distance"
      },
      "opening-roaming": {
        "zh-CN": "开通国际漫游中",
        "en": "Opening international roaming"
      },
      "open-failed": {
        "zh-CN": "开通未成功",
        "en": "Opening not completed"
      },
      "raising-ticket": {
        "zh-CN": "提交工单中",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单未提交成功",
        "en": "Work order not raised"
      },
      "travel-advice": {
        "zh-CN": "已开通：出行提醒与关联推荐",
        "en": "Already open: travel reminders and related offers"
      },
      "remind": {
        "zh-CN": "出行前提醒",
        "en": "Before-you-travel reminders"
      },
      "close": {
        "zh-CN": "关联推荐并致结束语",
        "en": "Related offers and closing"
      },
      "completed": {
        "zh-CN": "漫游开通完成",
        "en": "Roaming opened"
      },
      "already-open": {
        "zh-CN": "已开通，出行咨询完成",
        "en": "Already open — travel advice given"
      },
      "not-eligible": {
        "zh-CN": "不符合开通条件",
        "en": "Not eligible for roaming"
      },
      "not-opened": {
        "zh-CN": "客户暂不开通",
        "en": "Customer decided not to open"
      },
      "offer-accepted": {
        "zh-CN": "营销成功，转入相关业务",
        "en": "Offer accepted — switch business"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，安排回访",
        "en": "Recorded by hand — call-back arranged"
      }
    }
  },
  "itemised-bill": {
    "title": {
      "zh-CN": "详单查询",
      "en": "Itemised bill"
    },
    "steps": {
      "check-eligibility": {
        "zh-CN": "判断详单查询条件",
        "en": "Check itemised bill conditions"
      },
      "privacy-notice": {
        "zh-CN": "告知隐私保护规则",
        "en": "Explain the privacy rules"
      },
      "verify-password": {
        "zh-CN": "验证服务密码",
        "en": "Verify the service password"
      },
      "checking-password": {
        "zh-CN": "密码验证中",
        "en": "Checking the password"
      },
      "verify-document": {
        "zh-CN": "身份证件核验",
        "en": "Identity-document check"
      },
      "checking-document": {
        "zh-CN": "证件核验中",
        "en": "Checking ID document"
      },
      "query-details": {
        "zh-CN": "查询详单汇总",
        "en": "Querying the itemised summary"
      },
      "query-failed": {
        "zh-CN": "详单查询未成功",
        "en": "Records query failed"
      },
      "explain-details": {
        "zh-CN": "告知详单汇总",
        "en": "Give the summary"
      },
      "choose-month": {
        "zh-CN": "选择月份与接收方式",
        "en": "Choose the month and where to send"
      },
      "not-kept": {
        "zh-CN": "超出保留期限",
        "en": "Older than the records kept"
      },
      "sending": {
        "zh-CN": "发送详单",
        "en": "Sending the records"
      },
      "send-failed": {
        "zh-CN": "详单未发送成功",
        "en": "Records not sent"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "sent": {
        "zh-CN": "提醒查收详单",
        "en": "Records sent — reminders"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "详单查询完成",
        "en": "Itemised bill done"
      },
      "not-eligible": {
        "zh-CN": "不能查询详单",
        "en": "Records cannot be given"
      },
      "referred-to-shop": {
        "zh-CN": "引导到营业厅查询",
        "en": "Referred to a shop"
      },
      "verification-locked": {
        "zh-CN": "核验失败已锁定",
        "en": "Verification locked"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "one-card-two-numbers": {
    "title": {
      "zh-CN": "一卡双号",
      "en": "One card, two numbers"
    },
    "steps": {
      "explain-product": {
        "zh-CN": "介绍一卡双号及资费",
        "en": "Explain the product and its fee"
      },
      "confirm": {
        "zh-CN": "确认开通条件与副号城市",
        "en": "Confirm eligibility and the second number's city"
      },
      "opening": {
        "zh-CN": "提单开通一卡双号",
        "en": "Back end opening the product"
      },
      "open-failed": {
        "zh-CN": "开通未成功",
        "en": "Opening not confirmed"
      },
      "remind": {
        "zh-CN": "开通成功提醒",
        "en": "Opened — reminders"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "一卡双号开通完成",
        "en": "One card, two numbers opened"
      },
      "declined": {
        "zh-CN": "客户暂不开通",
        "en": "Customer declined"
      },
      "not-eligible": {
        "zh-CN": "不符合开通条件",
        "en": "Not eligible to open"
      },
      "offer-accepted": {
        "zh-CN": "转入客户选择的产品",
        "en": "Switch to the chosen product"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "password-reset": {
    "title": {
      "zh-CN": "服务密码重置",
      "en": "Service password reset"
    },
    "steps": {
      "choose-method": {
        "zh-CN": "判断重置条件与核验方式",
        "en": "Check eligibility and pick the verification"
      },
      "verify-document": {
        "zh-CN": "身份证件核验",
        "en": "Identity-document check"
      },
      "checking-document": {
        "zh-CN": "证件核验中",
        "en": "Checking ID document"
      },
      "verify-entry-month": {
        "zh-CN": "入网年月核验",
        "en": "Network-entry month check"
      },
      "checking-entry-month": {
        "zh-CN": "入网时间核验中",
        "en": "Checking entry month"
      },
      "confirm-reset": {
        "zh-CN": "重置前提醒",
        "en": "Before resetting"
      },
      "resetting": {
        "zh-CN": "提单重置服务密码",
        "en": "Back end resetting the password"
      },
      "reset-failed": {
        "zh-CN": "密码重置未成功",
        "en": "Reset not confirmed"
      },
      "remind": {
        "zh-CN": "提醒修改新密码",
        "en": "Remind to change the new password"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "服务密码重置完成",
        "en": "Password reset completed"
      },
      "not-eligible": {
        "zh-CN": "暂不能电话重置密码",
        "en": "Cannot reset by phone now"
      },
      "referred-to-shop": {
        "zh-CN": "引导到营业厅办理",
        "en": "Referred to a shop"
      },
      "verification-locked": {
        "zh-CN": "核验失败已锁定",
        "en": "Verification locked"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "phone-purchase": {
    "title": {
      "zh-CN": "在线购机（手机商城）",
      "en": "Buy a phone online"
    },
    "steps": {
      "check-eligibility": {
        "zh-CN": "判断购机条件",
        "en": "Check ordering conditions"
      },
      "choose-phone": {
        "zh-CN": "选择机型",
        "en": "Choose a handset"
      },
      "choose-delivery": {
        "zh-CN": "选择送货方式",
        "en": "Delivery or pick-up"
      },
      "confirm-order": {
        "zh-CN": "确认订单与售后须知",
        "en": "Confirm the order and after-sales terms"
      },
      "ordering": {
        "zh-CN": "提交购机订单",
        "en": "Placing the order"
      },
      "execute-failed": {
        "zh-CN": "订单未提交成功",
        "en": "Order not placed"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "remind": {
        "zh-CN": "提醒下单后事项并关联营销",
        "en": "After-order reminders and related offers"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "购机订单已提交",
        "en": "Phone order placed"
      },
      "not-eligible": {
        "zh-CN": "不符合购机条件",
        "en": "Cannot order now"
      },
      "declined": {
        "zh-CN": "客户暂不购机",
        "en": "Customer does not buy now"
      },
      "offer-accepted": {
        "zh-CN": "营销成功，转入相关业务",
        "en": "Offer accepted — switch business"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "plan-change": {
    "title": {
      "zh-CN": "套餐订购及变更",
      "en": "Plan subscription and change"
    },
    "steps": {
      "check-eligibility": {
        "zh-CN": "判断是否符合套餐变更条件",
        "en": "Check eligibility"
      },
      "choose-plan": {
        "zh-CN": "告知当前套餐并选择新套餐",
        "en": "Show the current plan and choose a new one"
      },
      "same-plan": {
        "zh-CN": "已是该套餐",
        "en": "Already on that plan"
      },
      "brand-mismatch": {
        "zh-CN": "套餐属于其他品牌",
        "en": "Plan belongs to another brand"
      },
      "confirm-change": {
        "zh-CN": "告知下月生效并确认",
        "en": "Explain next-month start and confirm"
      },
      "changing": {
        "zh-CN": "提交套餐变更中",
        "en": "Submitting the plan change"
      },
      "execute-failed": {
        "zh-CN": "套餐变更未受理成功",
        "en": "Plan change not accepted"
      },
      "raising-ticket": {
        "zh-CN": "提交工单中",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单未提交成功",
        "en": "Work order not raised"
      },
      "remind": {
        "zh-CN": "提醒变更后注意事项",
        "en": "After-change reminders"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "套餐变更已受理",
        "en": "Plan change accepted"
      },
      "not-eligible": {
        "zh-CN": "不符合套餐变更条件",
        "en": "Not eligible for a plan change"
      },
      "no-change": {
        "zh-CN": "未变更套餐",
        "en": "Plan not changed"
      },
      "kept-plan": {
        "zh-CN": "客户保留原套餐",
        "en": "Customer keeps the current plan"
      },
      "offer-accepted": {
        "zh-CN": "转入品牌变更",
        "en": "Switch to brand change"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，安排回访",
        "en": "Recorded by hand — call-back arranged"
      }
    }
  },
  "points-redemption": {
    "title": {
      "zh-CN": "积分查询与兑换",
      "en": "Points inquiry and redemption"
    },
    "steps": {
      "query-points": {
        "zh-CN": "查询积分",
        "en": "Querying points"
      },
      "query-failed": {
        "zh-CN": "积分查询未成功",
        "en": "Points query failed"
      },
      "explain-points": {
        "zh-CN": "告知积分并判断能否兑换",
        "en": "Tell the balance; can they redeem?"
      },
      "choose-item": {
        "zh-CN": "选择兑换礼品",
        "en": "Choose what to redeem"
      },
      "item-too-expensive": {
        "zh-CN": "积分不足以兑换所选礼品",
        "en": "Not enough points for that item"
      },
      "confirm-redemption": {
        "zh-CN": "兑换前确认",
        "en": "Confirm before redeeming"
      },
      "redeeming": {
        "zh-CN": "系统办理积分兑换",
        "en": "Back end redeeming points"
      },
      "redeem-failed": {
        "zh-CN": "积分兑换未成功",
        "en": "Redemption not confirmed"
      },
      "remind": {
        "zh-CN": "兑换成功提醒",
        "en": "Redemption done — reminders"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "close-inquiry": {
        "zh-CN": "查询完毕，提交服务请求",
        "en": "Inquiry done — submit service request"
      },
      "completed": {
        "zh-CN": "积分业务完成",
        "en": "Points request completed"
      },
      "informed": {
        "zh-CN": "积分查询完成（未兑换）",
        "en": "Points inquiry done (no redemption)"
      },
      "not-enough-points": {
        "zh-CN": "积分不足，暂不能兑换",
        "en": "Not enough points to redeem"
      },
      "not-eligible": {
        "zh-CN": "不符合兑换条件",
        "en": "Not eligible to redeem"
      },
      "offer-accepted": {
        "zh-CN": "积分兑换业务，转入相关业务",
        "en": "Redeeming into a service — switch business"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "resume-service": {
    "title": {
      "zh-CN": "复机",
      "en": "Resume service"
    },
    "steps": {
      "check-status": {
        "zh-CN": "查看号码状态",
        "en": "Check the line status"
      },
      "verify": {
        "zh-CN": "验证服务密码或身份资料",
        "en": "Verify password or identity"
      },
      "verify-document": {
        "zh-CN": "身份证件核验",
        "en": "Identity-document check"
      },
      "checking-password": {
        "zh-CN": "IVR密码验证中",
        "en": "Checking IVR password"
      },
      "checking-document": {
        "zh-CN": "证件核验中",
        "en": "Checking ID document"
      },
      "check-arrears": {
        "zh-CN": "核查欠费，判断能否复机",
        "en": "Check arrears — can the line be resumed?"
      },
      "explain-arrears": {
        "zh-CN": "说明欠费与缴费方式",
        "en": "Explain arrears and how to pay"
      },
      "executing": {
        "zh-CN": "提单办理复机",
        "en": "Back end resuming the line"
      },
      "resume-failed": {
        "zh-CN": "复机未成功",
        "en": "Resume not confirmed"
      },
      "remind": {
        "zh-CN": "提醒复机后注意事项",
        "en": "After-resume reminders"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "复机办理完成",
        "en": "Resume completed"
      },
      "already-active": {
        "zh-CN": "号码正常，无需复机",
        "en": "Line active — nothing to resume"
      },
      "line-cancelled": {
        "zh-CN": "号码已销户，无法复机",
        "en": "Line cancelled — cannot resume"
      },
      "must-pay-first": {
        "zh-CN": "需先缴清欠费",
        "en": "Arrears must be paid first"
      },
      "offer-accepted": {
        "zh-CN": "转入相关业务",
        "en": "Switch business"
      },
      "verification-locked": {
        "zh-CN": "验证失败已锁定",
        "en": "Verification locked"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "sim-replacement": {
    "title": {
      "zh-CN": "补办SIM卡",
      "en": "Replacement SIM"
    },
    "steps": {
      "check-eligibility": {
        "zh-CN": "判断补卡条件与核验方式",
        "en": "Check eligibility and how to verify"
      },
      "warn": {
        "zh-CN": "补卡前提醒",
        "en": "Before replacing: what to know"
      },
      "verify-document": {
        "zh-CN": "身份证件核验",
        "en": "Identity-document check"
      },
      "checking-document": {
        "zh-CN": "证件核验中",
        "en": "Checking ID document"
      },
      "choose-channel": {
        "zh-CN": "选择到店自取或邮寄",
        "en": "Store pick-up or delivery"
      },
      "confirm": {
        "zh-CN": "确认补卡方式与费用",
        "en": "Confirm how and the fee"
      },
      "replacing": {
        "zh-CN": "提单补办SIM卡",
        "en": "Back end issuing the SIM"
      },
      "execute-failed": {
        "zh-CN": "补卡未受理成功",
        "en": "Replacement not accepted"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "remind": {
        "zh-CN": "提醒补卡后注意事项",
        "en": "After-replacement reminders"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "补卡已受理",
        "en": "Replacement SIM accepted"
      },
      "not-eligible": {
        "zh-CN": "不符合补卡条件",
        "en": "Not eligible for a replacement SIM"
      },
      "referred-to-shop": {
        "zh-CN": "引导到营业厅补卡",
        "en": "Referred to a shop"
      },
      "verification-locked": {
        "zh-CN": "核验失败已锁定",
        "en": "Verification locked"
      },
      "declined": {
        "zh-CN": "客户暂不补卡",
        "en": "Customer does not replace the SIM now"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "suspend-service": {
    "title": {
      "zh-CN": "停机",
      "en": "Suspend service"
    },
    "steps": {
      "check-eligibility": {
        "zh-CN": "判断是否符合停机条件",
        "en": "Check eligibility"
      },
      "confirm-reason": {
        "zh-CN": "确认停机原因",
        "en": "Confirm the reason"
      },
      "warn": {
        "zh-CN": "提醒停机注意事项",
        "en": "Warn before suspending"
      },
      "upsell": {
        "zh-CN": "关联营销",
        "en": "Related offer"
      },
      "verify": {
        "zh-CN": "验证服务密码或身份资料",
        "en": "Verify password or identity"
      },
      "verify-document": {
        "zh-CN": "身份证件核验",
        "en": "Identity-document check"
      },
      "checking-password": {
        "zh-CN": "IVR密码验证中",
        "en": "Checking IVR password"
      },
      "checking-document": {
        "zh-CN": "证件核验中",
        "en": "Checking ID document"
      },
      "execute": {
        "zh-CN": "提单办理停机",
        "en": "Submit the suspend ticket"
      },
      "executing": {
        "zh-CN": "系统办理中",
        "en": "Back end working"
      },
      "execute-failed": {
        "zh-CN": "停机未成功",
        "en": "Suspension not completed"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "remind": {
        "zh-CN": "提醒停机后注意事项",
        "en": "After-suspension reminders"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "停机办理完成",
        "en": "Suspension completed"
      },
      "not-eligible": {
        "zh-CN": "不符合停机条件",
        "en": "Not eligible for suspension"
      },
      "offer-accepted": {
        "zh-CN": "营销成功，转入相关业务",
        "en": "Offer accepted — switch business"
      },
      "verification-locked": {
        "zh-CN": "验证失败已锁定",
        "en": "Verification locked"
      },
      "execution-failed": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "top-up": {
    "title": {
      "zh-CN": "充值交费",
      "en": "Top-up and payment"
    },
    "steps": {
      "check-eligibility": {
        "zh-CN": "判断充值条件",
        "en": "Check the line can be topped up"
      },
      "query-balance": {
        "zh-CN": "查询余额",
        "en": "Querying the balance"
      },
      "query-failed": {
        "zh-CN": "余额查询未成功",
        "en": "Balance query failed"
      },
      "tell-balance": {
        "zh-CN": "告知余额与欠费",
        "en": "Tell the balance and any arrears"
      },
      "choose-amount": {
        "zh-CN": "选择充值金额与支付方式",
        "en": "Choose amount and payment"
      },
      "confirm-top-up": {
        "zh-CN": "充值前确认",
        "en": "Confirm before paying"
      },
      "topping-up": {
        "zh-CN": "提交充值",
        "en": "Submitting the recharge"
      },
      "execute-failed": {
        "zh-CN": "充值未确认成功",
        "en": "Top-up not confirmed"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "remind": {
        "zh-CN": "提醒充值后事项",
        "en": "After the recharge"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "充值已受理",
        "en": "Top-up accepted"
      },
      "balance-only": {
        "zh-CN": "已告知余额",
        "en": "Balance given"
      },
      "not-eligible": {
        "zh-CN": "不能充值",
        "en": "Cannot top up"
      },
      "declined": {
        "zh-CN": "客户暂不充值",
        "en": "Customer does not top up now"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "two-cities-one-home": {
    "title": {
      "zh-CN": "两城一家",
      "en": "Two cities, one home"
    },
    "steps": {
      "explain-product": {
        "zh-CN": "介绍两城一家及资费",
        "en": "Explain the product and its fee"
      },
      "confirm": {
        "zh-CN": "确认开通条件与第二城市",
        "en": "Confirm eligibility and the second city"
      },
      "opening": {
        "zh-CN": "提单开通两城一家",
        "en": "Back end opening the product"
      },
      "open-failed": {
        "zh-CN": "开通未成功",
        "en": "Opening not confirmed"
      },
      "remind": {
        "zh-CN": "开通成功提醒",
        "en": "Opened — reminders"
      },
      "raising-ticket": {
        "zh-CN": "提交工单",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单暂未提交成功",
        "en": "Work order not registered"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "两城一家开通完成",
        "en": "Two cities, one home opened"
      },
      "declined": {
        "zh-CN": "客户暂不开通",
        "en": "Customer declined"
      },
      "not-eligible": {
        "zh-CN": "不符合开通条件",
        "en": "Not eligible to open"
      },
      "offer-accepted": {
        "zh-CN": "转入客户选择的产品",
        "en": "Switch to the chosen product"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，待回电跟进",
        "en": "Recorded for a manual call-back"
      }
    }
  },
  "vas-subscribe": {
    "title": {
      "zh-CN": "增值业务订购",
      "en": "VAS subscription"
    },
    "steps": {
      "check-eligibility": {
        "zh-CN": "判断是否符合订购条件",
        "en": "Check eligibility"
      },
      "choose-service": {
        "zh-CN": "确认要订购的业务",
        "en": "Choose the service"
      },
      "check-conflict": {
        "zh-CN": "核对业务冲突",
        "en": "Check for conflicts"
      },
      "conflict-warning": {
        "zh-CN": "确认前告知业务冲突",
        "en": "Tell the conflict before confirming"
      },
      "confirm": {
        "zh-CN": "订购前确认",
        "en": "Confirm before subscribing"
      },
      "subscribing": {
        "zh-CN": "系统办理订购中",
        "en": "Back end subscribing"
      },
      "execute-failed": {
        "zh-CN": "订购未成功",
        "en": "Subscription not completed"
      },
      "raising-ticket": {
        "zh-CN": "提交工单中",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单未提交成功",
        "en": "Work order not raised"
      },
      "remind": {
        "zh-CN": "提醒订购后注意事项",
        "en": "After-subscription reminders"
      },
      "close": {
        "zh-CN": "关联推荐并致结束语",
        "en": "Related offers and closing"
      },
      "completed": {
        "zh-CN": "订购办理完成",
        "en": "Subscription completed"
      },
      "not-eligible": {
        "zh-CN": "不符合订购条件",
        "en": "Not eligible to subscribe"
      },
      "declined": {
        "zh-CN": "客户暂不订购",
        "en": "Customer decided not to subscribe"
      },
      "offer-accepted": {
        "zh-CN": "营销成功，继续订购",
        "en": "Offer accepted — next subscription"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，安排回访",
        "en": "Recorded by hand — call-back arranged"
      }
    }
  },
  "vas-unsubscribe": {
    "title": {
      "zh-CN": "增值业务查询与退订",
      "en": "VAS inquiry and unsubscribe"
    },
    "steps": {
      "query-services": {
        "zh-CN": "查询已订购业务",
        "en": "Query subscribed services"
      },
      "query-failed": {
        "zh-CN": "查询未成功",
        "en": "Query not completed"
      },
      "list-services": {
        "zh-CN": "告知已订业务并确认退订项",
        "en": "Read out the services and pick the one to cancel"
      },
      "choose-service": {
        "zh-CN": "确认要退订的业务",
        "en": "Confirm the service to cancel"
      },
      "not-held": {
        "zh-CN": "号码未订购该业务",
        "en": "Service not on this line"
      },
      "retention": {
        "zh-CN": "挽留营销",
        "en": "Retention offer"
      },
      "confirm": {
        "zh-CN": "退订前确认并告知注意事项",
        "en": "Confirm and explain before cancelling"
      },
      "unsubscribing": {
        "zh-CN": "系统办理退订中",
        "en": "Back end cancelling"
      },
      "execute-failed": {
        "zh-CN": "退订未成功",
        "en": "Cancellation not completed"
      },
      "raising-ticket": {
        "zh-CN": "提交工单中",
        "en": "Raising a work order"
      },
      "ticket-failed": {
        "zh-CN": "工单未提交成功",
        "en": "Work order not raised"
      },
      "remind": {
        "zh-CN": "提醒退订后注意事项",
        "en": "After-cancellation reminders"
      },
      "close": {
        "zh-CN": "提交服务请求并致结束语",
        "en": "Submit service request and close"
      },
      "completed": {
        "zh-CN": "退订办理完成",
        "en": "Cancellation completed"
      },
      "enquiry-answered": {
        "zh-CN": "查询已答复，未退订",
        "en": "Inquiry answered — nothing cancelled"
      },
      "kept-service": {
        "zh-CN": "客户决定保留业务",
        "en": "Customer keeps the service"
      },
      "offer-accepted": {
        "zh-CN": "挽留成功，转入相关业务",
        "en": "Retention accepted — switch business"
      },
      "ticket-raised": {
        "zh-CN": "已提交工单",
        "en": "Work order raised"
      },
      "manual-follow-up": {
        "zh-CN": "人工记录，安排回访",
        "en": "Recorded by hand — call-back arranged"
      }
    }
  }
};

/** The offers of flows/marketing/related-marketing.json. */
export const OFFER_NAMES: Record<string, LocalizedText> = {
  "online-phone-purchase": {
    "zh-CN": "在线购机（手机商城）",
    "en": "Buy a new phone online"
  },
  "replacement-sim": {
    "zh-CN": "补办SIM卡",
    "en": "Replacement SIM"
  },
  "two-cities-one-home": {
    "zh-CN": "两城一家",
    "en": "Two cities, one home"
  },
  "holiday-plan": {
    "zh-CN": "非常假期",
    "en": "Holiday plan"
  },
  "one-card-two-numbers": {
    "zh-CN": "一卡双号",
    "en": "One card, two numbers"
  },
  "keep-number-plan": {
    "zh-CN": "保号套餐",
    "en": "Keep-number plan"
  },
  "retention-offer": {
    "zh-CN": "老客户回馈优惠",
    "en": "Loyalty retention offer"
  },
  "better-plan": {
    "zh-CN": "更合适的套餐",
    "en": "A better-fitting plan"
  },
  "data-pack": {
    "zh-CN": "流量加油包",
    "en": "Data add-on pack"
  },
  "change-plan-instead": {
    "zh-CN": "变更同品牌套餐",
    "en": "Change plan within your brand"
  },
  "choose-new-plan": {
    "zh-CN": "选择新品牌套餐",
    "en": "Choose the new brand's plan"
  },
  "hk-mo-tw-day-pack": {
    "zh-CN": "港澳台流量日包",
    "en": "HK/Macau/Taiwan data day pack"
  },
  "asia-day-pack": {
    "zh-CN": "亚洲多国流量日包",
    "en": "Asia multi-country day pack"
  },
  "long-haul-data-pack": {
    "zh-CN": "欧美流量包",
    "en": "Europe/Americas data pack"
  },
  "global-day-pack": {
    "zh-CN": "全球通用流量日包",
    "en": "Worldwide day pack"
  },
  "directional-ld-pack": {
    "zh-CN": "国际长途定向包",
    "en": "Directional international call pack"
  },
  "intl-sms-pack": {
    "zh-CN": "国际短信包",
    "en": "International SMS pack"
  },
  "brand-change-first": {
    "zh-CN": "先办理品牌变更",
    "en": "Change brand first"
  },
  "redeem-into-vas": {
    "zh-CN": "积分兑换增值业务包",
    "en": "Redeem points into a value-added service"
  },
  "redeem-into-plan": {
    "zh-CN": "积分抵扣升级套餐",
    "en": "Points towards a plan upgrade"
  },
  "check-bill": {
    "zh-CN": "查询账单明细",
    "en": "Check the bill details"
  },
  "fetion-for-qq": {
    "zh-CN": "飞信",
    "en": "Fetion"
  },
  "address-book-manager": {
    "zh-CN": "号簿管家",
    "en": "Address-book manager"
  },
  "ringback-for-music": {
    "zh-CN": "彩铃",
    "en": "Ringback tone"
  },
  "music-vip-half-price": {
    "zh-CN": "音乐会员老用户半价续订",
    "en": "Music VIP renewal at half price"
  },
  "music-vip-basic": {
    "zh-CN": "改订基础版音乐会员",
    "en": "Switch to basic Music VIP"
  },
  "ringback-free-month": {
    "zh-CN": "彩铃免费换新一个月",
    "en": "A free month of new ringback tones"
  },
  "mzone-plan-with-data": {
    "zh-CN": "含流量的动感地带套餐",
    "en": "M-Zone plan with data included"
  },
  "roaming-day-pack": {
    "zh-CN": "保留漫游，订购漫游日包封顶",
    "en": "Keep roaming with a capped day pack"
  },
  "vip-benefit-bundle": {
    "zh-CN": "VIP权益包（免功能费）",
    "en": "VIP benefit bundle (fee waived)"
  }
};

/** The QA checks of flows/qa/call-checks.json. */
export const CHECK_NAMES: Record<string, LocalizedText> = {
  "care-prompts-confirmed": {
    "zh-CN": "关怀提示逐条确认后再继续",
    "en": "Every care prompt shown was confirmed before moving on"
  },
  "warning-before-verification": {
    "zh-CN": "先告知停机影响，再核验身份",
    "en": "Warn about the suspension before verifying the caller"
  },
  "offer-at-eligible-m-points": {
    "zh-CN": "符合条件的营销点均已推荐，且不违反频次规则",
    "en": "Offers presented at every eligible marketing point, never where frequency rules forbid"
  },
  "closing-words-reached": {
    "zh-CN": "来电结束前说出结束语",
    "en": "Closing words reached before the call ended"
  }
};

/** The authoring policies of flows/policies/authoring-policies.json. */
export const POLICY_NAMES: Record<string, LocalizedText> = {
  "verify-and-warn-before-change": {
    "zh-CN": "办理变更前先提醒、再核验身份",
    "en": "Warn, then verify, before any change"
  },
  "failure-has-way-out": {
    "zh-CN": "失误点必须有补救出路",
    "en": "Every failure point has a way out"
  },
  "offer-can-be-declined": {
    "zh-CN": "关联营销可以婉拒",
    "en": "A customer can decline an offer"
  }
};
