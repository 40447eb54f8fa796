import { type LegalBasis } from '@/lib/vocabulary';

/** The six bases of GDPR Art. 6(1), as admins read them. */
export const LEGAL_BASIS_LABELS: Record<LegalBasis, string> = {
  consent: 'Consent — Art. 6(1)(a)',
  contract: 'Contract — Art. 6(1)(b)',
  'legal-obligation': 'Legal obligation — Art. 6(1)(c)',
  'vital-interests': 'Vital interests — Art. 6(1)(d)',
  'public-task': 'Public task — Art. 6(1)(e)',
  'legitimate-interests': 'Legitimate interests — Art. 6(1)(f)',
};
