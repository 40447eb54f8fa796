export {
  buildMarketingMail,
  renderVariables,
  type MarketingMail,
  type MarketingMailInput,
} from '@/lib/mail/marketing';
