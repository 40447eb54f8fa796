/** Customer-facing wording in English. Add a language by copying this file (same keys). */
export const en = {
  'lang.name': 'English',
  'common.whoAsks': 'This message comes from {org}.',
  'common.invalidLink.title': 'This link no longer works',
  'common.invalidLink.body':
    'The link is unknown, has expired or was already used. If you still want to change something, use the link in the most recent mail from us.',
  'common.tooLarge': 'The request was too large.',
  'common.notice': 'What you are agreeing to',
  'common.purpose': 'Purpose',
  'common.themes': 'Topics',
  'common.noticeVersion': 'Notice version {version}',

  'optin.mail.subject': 'Please confirm: {purpose}',
  'optin.mail.intro': 'Someone (hopefully you) asked to receive “{purpose}” at this address.',
  'optin.mail.action': 'Confirm with this link (valid for {hours} hours):',
  'optin.mail.ignore': 'If this was not you, ignore this mail: nothing happens without your confirmation.',
  'optin.page.title': 'Confirm “{purpose}”',
  'optin.page.intro':
    'Please confirm that you want to receive the following. Nothing is sent until you confirm.',
  'optin.page.button': 'Yes, I confirm',
  'optin.done.title': 'Thank you, confirmed',
  'optin.done.body': 'You confirmed “{purpose}”. You can withdraw at any time with one click in every mail.',
  'optin.done.preferences': 'Manage your preferences',

  'unsubscribe.page.title': 'Unsubscribe',
  'unsubscribe.page.intro': 'You receive mail from us for “{purpose}”. Choose what to stop:',
  'unsubscribe.page.purpose': 'Unsubscribe from “{purpose}”',
  'unsubscribe.page.all': 'Unsubscribe from everything',
  'unsubscribe.page.preferences': 'Manage preferences instead',
  'unsubscribe.done.title': 'You are unsubscribed',
  'unsubscribe.done.purpose': 'You will no longer receive mail for “{purpose}”.',
  'unsubscribe.done.all': 'You will no longer receive marketing mail from us.',

  'prefs.title': 'Your preferences',
  'prefs.intro': 'Choose what we may send you. Nothing is switched on unless you tick it.',
  'prefs.channels': 'Channels',
  'prefs.channel.email': 'Email',
  'prefs.save': 'Save preferences',
  'prefs.saved': 'Your preferences are saved.',
  'prefs.history': 'Your consent history',
  'prefs.history.empty': 'No consent recorded yet.',
  'prefs.rights': 'Your data',
  'prefs.export': 'Send me a copy of my data',
  'prefs.export.done': 'We sent a download link for your data to your address. It is valid for 7 days.',
  'prefs.erase': 'Erase my data',
  'prefs.erase.confirm': 'Do you really want us to erase your data? This cannot be undone.',
  'prefs.erase.confirmButton': 'Yes, erase my data',
  'prefs.erase.done':
    'We received your erasure request and will complete it within one month. You will get a receipt.',
  'prefs.state.granted': 'on',
  'prefs.state.other': 'off',

  'export.mail.subject': 'Your data from {org}',
  'export.mail.body': 'Here is the link to download a copy of your data. It is valid until {date}.',
  'export.page.title': 'Your data',
  'export.page.body':
    'Your data package contains your profile, consents with evidence, blocks, journeys with reasons and messages.',
  'export.page.download': 'Download (zip)',
  'export.page.valid': 'This link is valid until {date}.',

  'verify.mail.subject': 'Please confirm your privacy request',
  'verify.mail.body':
    'We received a request to {kind} your data. Confirm that it was you with this link (valid for 72 hours):',
  'verify.mail.ignore': 'If you did not ask for this, ignore this mail.',
  'verify.page.title': 'Confirm your request',
  'verify.page.body': 'Please confirm your request to {kind} your data.',
  'verify.page.button': 'Confirm request',
  'verify.done.title': 'Request confirmed',
  'verify.done.body': 'Thank you. We will answer within one month.',

  'extension.mail.subject': 'Your privacy request: we need more time',
  'extension.mail.body':
    'On {received} you asked us to {kind} your data. We need more time to answer and will do so by {due} at the latest (GDPR Art. 12(3)).',
  'extension.mail.reason': 'Why: {reason}',

  'erasure.mail.subject': 'Your data has been erased',
  'erasure.mail.body': 'As you asked, we erased your personal data on {date}.',
  'erasure.mail.restricted':
    'Some records must be kept by law; they are locked and used for nothing else: {reasons}',

  'kind.access': 'access',
  'kind.rectification': 'correct',
  'kind.erasure': 'erase',
  'kind.restriction': 'restrict the use of',
  'kind.objection': 'object to the use of',
  'kind.portability': 'receive a copy of',

  'footer.unsubscribe': 'Unsubscribe',
  'footer.preferences': 'Manage preferences',
  'footer.why': 'You receive this because you agreed to “{purpose}”.',
  'footer.sender': 'Sent by {org}, {address}.',
  'footer.whyBasis': 'You receive this for “{purpose}”; legal basis: {basis}.',
  'footer.test': 'TEST MESSAGE: sent to staff to check the design; nobody else received it.',
  'basis.consent': 'your consent (Art. 6(1)(a) GDPR)',
  'basis.contract': 'our contract with you (Art. 6(1)(b) GDPR)',
  'basis.legal-obligation': 'a legal obligation (Art. 6(1)(c) GDPR)',
  'basis.vital-interests': 'vital interests (Art. 6(1)(d) GDPR)',
  'basis.public-task': 'a task in the public interest (Art. 6(1)(e) GDPR)',
  'basis.legitimate-interests': 'our legitimate interests (Art. 6(1)(f) GDPR); you may object at any time',
} as const;

export type MessageKey = keyof typeof en;
