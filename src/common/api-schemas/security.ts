/** The OpenAPI security scheme of the signed telephony webhook (src/cti, docs/CTI.md): no token, a signature over the body. */
export const CTI_SIGNATURE = 'cti-signature';
