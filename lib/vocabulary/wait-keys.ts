/**
 * Wait keys name what a waiting enrollment waits for: `consent:<purposeKey>` (a grant or
 * confirmed opt-in), `event:<eventName>`, `block-lift`. A vocabulary shared by the steps that
 * wait and the store that wakes them (db/store/wakeups); a vocabulary, so every layer may import it.
 */
export const waitKeys = {
  consent: (purposeKey: string) => `consent:${purposeKey}`,
  event: (eventName: string) => `event:${eventName}`,
  blockLift: () => 'block-lift',
};
