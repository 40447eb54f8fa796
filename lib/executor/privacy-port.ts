/**
 * The privacy module's functions the executor's steps call, gathered in one place so the
 * handlers read the same whatever file of lib/privacy each lives in.
 */
export { requestDoubleOptIn } from '@/lib/privacy/optin';
export { setContactBlock } from '@/lib/privacy/blocks';
export { compileDataPackage } from '@/lib/privacy/data-package';
export { createExport, queueExportLinkMail } from '@/lib/privacy/exports';
export { transferToRecipient } from '@/lib/privacy/transfer';
export { forgetCustomer } from '@/lib/privacy/forget';
