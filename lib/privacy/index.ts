/** The privacy module's public surface. */
export {
  checkContactAllowed,
  currentConsent,
  activeBlock,
  type ContactDecision,
  type ContactCheckInput,
} from './contact-check';
export {
  recordConsentEvent,
  recordConsent,
  verifyLedger,
  checkLedgerChain,
  type ConsentEventInput,
  type LedgerVerification,
} from './ledger';
export {
  requestDoubleOptIn,
  confirmOptIn,
  confirmOptInSync,
  describeOptIn,
  expireStaleOptIns,
  OPTIN_COOLDOWN,
} from './optin';
export { setContactBlock, liftContactBlock, recordHardBounce, recordComplaint } from './blocks';
export { publishNotice } from './notices';
export { purgeExpiredExports } from './exports';
export { buildMarketingMail } from '@/lib/mail/marketing';
export { compileDataPackage, type DataPackage } from './data-package';
export { createExport, queueExportLinkMail, findExport, recordExportDownload } from './exports';
export { transferToRecipient } from './transfer';
export { forgetCustomer, eraseCustomer, isTombstoned, type ErasureReceipt } from './forget';
export {
  createPrivacyRequest,
  extendRequest,
  completeRequest,
  completePrivacyRequest,
  rejectRequest,
  startRequest,
} from './requests';
