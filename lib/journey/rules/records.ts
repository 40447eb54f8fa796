import { dataUseByPurpose, recordMentions } from '../processing';
import { describeNode } from '../structure';
import type { Finding, Rule } from './context';

/**
 * A purpose's record of processing must cover what the journey does for it (warnings; they do
 * not block publishing). Only checked when the caller knows the purposes' record texts.
 * "Does not mention" means: the purpose has no description and no notice text at all, or the
 * journey reads a customer attribute for the purpose (in a condition, the entry filter or a
 * message variable, at or before a step for the purpose) that the description and notice, in
 * any language, do not name (see recordMentions). Attributes are checked because they are open
 * ended (anything an import or the API stores); the address, name, language, time zone, events
 * and consent states are listed in the generated record without a check.
 */
export const purposeRecordRule: Rule = (input) => {
  const purposes = input.purposes;
  if (!purposes || ![...purposes.values()].some((purpose) => purpose.record !== undefined)) return [];
  return dataUseByPurpose(input.graph).flatMap((use): Finding[] => {
    const record = purposes.get(use.purpose)?.record;
    if (record === undefined) return []; // an unknown purpose is reported by purpose-catalog
    const first = input.index.nodesById.get(use.nodeIds[0]!);
    if (record.trim() === '')
      return [
        {
          severity: 'warning',
          code: 'purpose-record-missing',
          message: `The purpose “${use.purpose}” has no description or notice, so its record of processing does not say what ${first ? describeNode(first) : 'this journey'} does with personal data. Describe it in Settings → Purposes.`,
          nodeId: first?.id,
        },
      ];
    return use.reads.flatMap(({ read, nodeIds }): Finding[] => {
      if (read.kind !== 'attribute' || recordMentions(record, read.name)) return [];
      const reader = input.index.nodesById.get(nodeIds[0]!);
      return [
        {
          severity: 'warning',
          code: 'purpose-record-unmentioned',
          message: `${reader ? describeNode(reader) : 'A step'} reads the attribute “${read.name}” for the purpose “${use.purpose}”, whose description and notice do not mention it. Add it to the purpose so its record of processing covers it.`,
          nodeId: reader?.id,
        },
      ];
    });
  });
};
