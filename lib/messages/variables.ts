/**
 * What a message template can read. The names are the contract with marketers (shown in the
 * editor, checked at publish): the customer's fields and attributes, the purpose and theme, the
 * journey and the links.
 */
export const CUSTOMER_FIELDS = ['firstName', 'name', 'email', 'language', 'timeZone'] as const;
export const CONTEXT_VARIABLES = [
  'purpose',
  'theme',
  'journey',
  'unsubscribe_url',
  'preferences_url',
] as const;

export const VARIABLE_HELP: { name: string; description: string }[] = [
  { name: 'firstName', description: 'First name (attribute firstName, else the first word of the name)' },
  { name: 'name', description: 'Full name' },
  { name: 'email', description: 'Address' },
  { name: 'language', description: 'Language code (en, de)' },
  { name: 'purpose.name', description: 'Purpose the mail is sent for' },
  { name: 'theme.name', description: 'Topic (empty without one)' },
  { name: 'journey.name', description: 'Journey name' },
  { name: 'unsubscribe_url', description: 'One-click unsubscribe link' },
  { name: 'preferences_url', description: 'Preference center link' },
];

export type MessageCustomer = {
  email: string | null;
  name: string;
  locale: string;
  timeZone: string;
  attributes: Record<string, unknown>;
};

export type NamedText = { key: string; name: string; description: string };

export type ScopeInput = {
  /** Undefined renders as an empty profile (the editor's "empty profile" preview). */
  customer?: MessageCustomer;
  purpose: NamedText & { legalBasis: string };
  theme?: NamedText;
  journey?: { name: string };
  links: { unsubscribeUrl: string; preferencesUrl: string };
};

/** A customer's first name: the attribute when set, else the first word of the name. */
export function firstNameOf(customer: Pick<MessageCustomer, 'name' | 'attributes'>): string | undefined {
  const attribute = customer.attributes.firstName;
  if (typeof attribute === 'string' && attribute.trim()) return attribute.trim();
  const word = customer.name.trim().split(/\s+/)[0];
  return word || undefined;
}

/**
 * The Liquid scope for one mail. A field the customer lacks is left out (not ''), so
 * `{{ firstName | default: "there" }}` applies the default and a bare `{{ firstName }}` is an
 * error rather than "Hi ,".
 */
export function messageScope(input: ScopeInput): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  const customer = input.customer;
  if (customer) {
    for (const [key, value] of Object.entries(customer.attributes)) {
      if (value !== null && value !== '' && (typeof value !== 'object' || Array.isArray(value)))
        scope[key] = value;
    }
    const firstName = firstNameOf(customer);
    if (firstName) scope.firstName = firstName;
    else delete scope.firstName;
    if (customer.name.trim()) scope.name = customer.name.trim();
    if (customer.email) scope.email = customer.email;
    scope.language = customer.locale;
    scope.timeZone = customer.timeZone;
  }
  scope.purpose = {
    key: input.purpose.key,
    name: input.purpose.name,
    description: input.purpose.description,
    legal_basis: input.purpose.legalBasis,
  };
  scope.theme = input.theme ?? { key: '', name: '', description: '' };
  scope.journey = input.journey ?? { name: '' };
  scope.unsubscribe_url = input.links.unsubscribeUrl;
  scope.preferences_url = input.links.preferencesUrl;
  return scope;
}
