import type { MessageKey } from './en';

/** Kundenseitige Texte auf Deutsch. */
export const de: Record<MessageKey, string> = {
  'lang.name': 'Deutsch',
  'common.whoAsks': 'Diese Nachricht kommt von {org}.',
  'common.invalidLink.title': 'Dieser Link funktioniert nicht mehr',
  'common.invalidLink.body':
    'Der Link ist unbekannt, abgelaufen oder wurde schon benutzt. Wenn Sie noch etwas ändern möchten, nutzen Sie den Link in unserer neuesten E-Mail.',
  'common.tooLarge': 'Die Anfrage war zu groß.',
  'common.notice': 'Dem stimmen Sie zu',
  'common.purpose': 'Zweck',
  'common.themes': 'Themen',
  'common.noticeVersion': 'Hinweis Version {version}',

  'optin.mail.subject': 'Bitte bestätigen: {purpose}',
  'optin.mail.intro': 'Jemand (hoffentlich Sie) möchte „{purpose}“ an diese Adresse erhalten.',
  'optin.mail.action': 'Bestätigen Sie mit diesem Link (gültig für {hours} Stunden):',
  'optin.mail.ignore':
    'Wenn Sie das nicht waren, ignorieren Sie diese E-Mail: ohne Ihre Bestätigung passiert nichts.',
  'optin.page.title': '„{purpose}“ bestätigen',
  'optin.page.intro':
    'Bitte bestätigen Sie, dass Sie Folgendes erhalten möchten. Ohne Bestätigung senden wir nichts.',
  'optin.page.button': 'Ja, ich bestätige',
  'optin.done.title': 'Danke, bestätigt',
  'optin.done.body':
    'Sie haben „{purpose}“ bestätigt. Sie können jederzeit mit einem Klick in jeder E-Mail widerrufen.',
  'optin.done.preferences': 'Einstellungen verwalten',

  'unsubscribe.page.title': 'Abmelden',
  'unsubscribe.page.intro': 'Sie erhalten E-Mails von uns für „{purpose}“. Was möchten Sie beenden?',
  'unsubscribe.page.purpose': 'Von „{purpose}“ abmelden',
  'unsubscribe.page.all': 'Von allem abmelden',
  'unsubscribe.page.preferences': 'Stattdessen Einstellungen verwalten',
  'unsubscribe.done.title': 'Sie sind abgemeldet',
  'unsubscribe.done.purpose': 'Sie erhalten keine E-Mails mehr für „{purpose}“.',
  'unsubscribe.done.all': 'Sie erhalten keine Werbe-E-Mails mehr von uns.',

  'prefs.title': 'Ihre Einstellungen',
  'prefs.intro':
    'Wählen Sie, was wir Ihnen senden dürfen. Nichts ist eingeschaltet, solange Sie es nicht ankreuzen.',
  'prefs.channels': 'Kanäle',
  'prefs.channel.email': 'E-Mail',
  'prefs.save': 'Einstellungen speichern',
  'prefs.saved': 'Ihre Einstellungen sind gespeichert.',
  'prefs.history': 'Ihr Einwilligungsverlauf',
  'prefs.history.empty': 'Noch keine Einwilligung erfasst.',
  'prefs.rights': 'Ihre Daten',
  'prefs.export': 'Kopie meiner Daten senden',
  'prefs.export.done': 'Wir haben Ihnen einen Download-Link für Ihre Daten gesendet. Er ist 7 Tage gültig.',
  'prefs.erase': 'Meine Daten löschen',
  'prefs.erase.confirm':
    'Möchten Sie wirklich, dass wir Ihre Daten löschen? Das lässt sich nicht rückgängig machen.',
  'prefs.erase.confirmButton': 'Ja, meine Daten löschen',
  'prefs.erase.done':
    'Wir haben Ihren Löschantrag erhalten und erledigen ihn innerhalb eines Monats. Sie erhalten eine Bestätigung.',
  'prefs.state.granted': 'an',
  'prefs.state.other': 'aus',

  'export.mail.subject': 'Ihre Daten von {org}',
  'export.mail.body':
    'Hier ist der Link zum Herunterladen einer Kopie Ihrer Daten. Er ist gültig bis {date}.',
  'export.page.title': 'Ihre Daten',
  'export.page.body':
    'Ihr Datenpaket enthält Ihr Profil, Einwilligungen mit Nachweisen, Sperren, Journeys mit Begründungen und Nachrichten.',
  'export.page.download': 'Herunterladen (zip)',
  'export.page.valid': 'Dieser Link ist gültig bis {date}.',

  'verify.mail.subject': 'Bitte bestätigen Sie Ihren Datenschutz-Antrag',
  'verify.mail.body':
    'Wir haben einen Antrag erhalten, Ihre Daten {kind}. Bestätigen Sie mit diesem Link (72 Stunden gültig), dass Sie es waren:',
  'verify.mail.ignore': 'Wenn Sie das nicht beantragt haben, ignorieren Sie diese E-Mail.',
  'verify.page.title': 'Antrag bestätigen',
  'verify.page.body': 'Bitte bestätigen Sie Ihren Antrag, Ihre Daten {kind}.',
  'verify.page.button': 'Antrag bestätigen',
  'verify.done.title': 'Antrag bestätigt',
  'verify.done.body': 'Danke. Wir antworten innerhalb eines Monats.',

  'extension.mail.subject': 'Ihre Datenschutzanfrage: Wir brauchen mehr Zeit',
  'extension.mail.body':
    'Am {received} haben Sie uns gebeten, Ihre Daten {kind}. Wir brauchen für die Antwort mehr Zeit und antworten spätestens bis zum {due} (DSGVO Art. 12 Abs. 3).',
  'extension.mail.reason': 'Grund: {reason}',

  'erasure.mail.subject': 'Ihre Daten wurden gelöscht',
  'erasure.mail.body': 'Wie gewünscht haben wir Ihre personenbezogenen Daten am {date} gelöscht.',
  'erasure.mail.restricted':
    'Einige Unterlagen müssen wir gesetzlich aufbewahren; sie sind gesperrt und werden für nichts anderes verwendet: {reasons}',

  'kind.access': 'einzusehen',
  'kind.rectification': 'zu berichtigen',
  'kind.erasure': 'zu löschen',
  'kind.restriction': 'in der Verarbeitung einzuschränken',
  'kind.objection': 'nicht mehr zu verarbeiten (Widerspruch)',
  'kind.portability': 'als Kopie zu erhalten',

  'common.quoted': '„{text}“',
  'legal.controller': 'Verantwortlich für Ihre Daten: {name}, {address}. Kontakt: {contact}',
  'legal.noticeLink': 'Vollständige Datenschutzerklärung',
  'legal.retention': 'Wir bewahren Ihre Daten für diesen Zweck {period} auf und löschen sie danach.',
  'period.day': '1 Tag',
  'period.days': '{n} Tage',
  'period.month': '1 Monat',
  'period.months': '{n} Monate',
  'period.year': '1 Jahr',
  'period.years': '{n} Jahre',

  'history.theme': '{purpose}, Thema {theme}',
  'history.request': 'Am {date} haben wir Sie gebeten, {purpose} zu bestätigen.',
  'history.grant': 'Am {date} haben Sie {purpose} bestätigt.',
  'history.withdraw': 'Am {date} haben Sie Ihre Einwilligung zu {purpose} widerrufen.',
  'history.expire': 'Am {date} ist der Bestätigungslink für {purpose} unbenutzt abgelaufen.',
  'history.object': 'Am {date} haben Sie {purpose} widersprochen.',
  'history.restrict': 'Am {date} wurde die Verwendung Ihrer Daten für {purpose} eingeschränkt.',
  'history.redact': 'Am {date} wurden Einzelheiten Ihrer Einwilligung zu {purpose} entfernt.',
  'history.how': 'Erfasst {via}.',
  'history.via.form': 'über unsere Website oder eine E-Mail von uns',
  'history.via.api': 'über eines unserer Systeme',
  'history.via.import': 'aus unseren bisherigen Unterlagen',
  'history.via.staff': 'durch unsere Mitarbeitenden',
  'history.via.journey': 'in einer E-Mail von uns',
  'history.via.merge': 'beim Zusammenführen zweier Einträge zu Ihnen',
  'history.via.system': 'automatisch',

  'privacy.title': 'Datenschutzerklärung',
  'privacy.intro':
    '{name} ist für die hier beschriebenen personenbezogenen Daten verantwortlich (Verantwortlicher).',
  'privacy.contact': 'Anschrift: {address}. Kontakt für Datenschutzfragen: {contact}.',
  'privacy.purposes': 'Wofür wir Ihre Daten verwenden',
  'privacy.basis': 'Rechtsgrundlage',
  'privacy.retention': 'Wie lange wir sie aufbewahren',
  'privacy.recipients': 'Wer sie erhält',
  'privacy.recipients.none': 'Niemand außerhalb von {name}.',
  'privacy.notice': 'Worin Sie einwilligen',
  'privacy.rights': 'Ihre Rechte',
  'privacy.rights.body':
    'Sie können Auskunft über Ihre Daten verlangen, sie berichtigen oder löschen lassen, ihre Verwendung einschränken, eine Kopie zur Mitnahme erhalten und der Verwendung widersprechen (DSGVO Art. 15–21). Eine Einwilligung können Sie jederzeit so einfach widerrufen, wie Sie sie gegeben haben: Jede E-Mail enthält einen Link dafür. Schreiben Sie an {contact}. Sie können sich auch bei einer Datenschutz-Aufsichtsbehörde beschweren.',

  'footer.unsubscribe': 'Abmelden',
  'footer.preferences': 'Einstellungen verwalten',
  'footer.why': 'Sie erhalten diese E-Mail, weil Sie „{purpose}“ zugestimmt haben.',
  'footer.sender': 'Absender: {org}, {address}.',
  'footer.whyBasis': 'Sie erhalten diese E-Mail für „{purpose}“; Rechtsgrundlage: {basis}.',
  'footer.test':
    'TESTNACHRICHT: an Mitarbeitende zur Prüfung der Gestaltung gesendet; niemand sonst hat sie erhalten.',
  'basis.consent': 'Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)',
  'basis.contract': 'unser Vertrag mit Ihnen (Art. 6 Abs. 1 lit. b DSGVO)',
  'basis.legal-obligation': 'eine rechtliche Verpflichtung (Art. 6 Abs. 1 lit. c DSGVO)',
  'basis.vital-interests': 'lebenswichtige Interessen (Art. 6 Abs. 1 lit. d DSGVO)',
  'basis.public-task': 'eine Aufgabe im öffentlichen Interesse (Art. 6 Abs. 1 lit. e DSGVO)',
  'basis.legitimate-interests':
    'unsere berechtigten Interessen (Art. 6 Abs. 1 lit. f DSGVO); Sie können jederzeit widersprechen',
};
