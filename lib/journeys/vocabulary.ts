import { recentAttributeNames, recentEventNames } from '@/db/store/vocabulary';

/** Names seen in the data, offered by the editor's attribute and event pickers (free text still allowed). */
export async function journeyVocabulary(): Promise<{ attributes: string[]; events: string[] }> {
  const [attributes, events] = await Promise.all([recentAttributeNames(), recentEventNames()]);
  return { attributes, events };
}
