/** The OpenAPI security scheme of the signed telephony webhook (src/cti, docs/CTI.md): no token, a signature over the body. */
export const CTI_SIGNATURE = 'cti-signature';
/** The signed survey answers (src/satisfaction, docs/SATISFACTION.md): the CTI scheme under its own headers and secret. */
export const SURVEY_SIGNATURE = 'survey-signature';
