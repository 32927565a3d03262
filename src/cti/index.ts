/** The CTI module's public surface: the module, and the request-signing scheme other signed webhooks reuse (src/satisfaction). */
export { CtiModule } from './cti.module';
export { signatureProblem, signCtiEvent, type SignatureProblem, type SignedRequest } from './cti-signature';
