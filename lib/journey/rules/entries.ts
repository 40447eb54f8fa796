import { entryNodes } from '../helpers';
import { describeNode } from '../structure';
import type { Rule } from './context';

/** Exactly one entry: it is where enrollment happens and what the re-entry policy belongs to. */
export const entryCountRule: Rule = ({ graph }) => {
  const entries = entryNodes(graph);
  if (entries.length === 0) {
    return [
      {
        severity: 'error',
        code: 'no-entry',
        message: 'The journey has no entry step, so no one can enter it.',
      },
    ];
  }
  return entries.slice(1).map((entry) => ({
    severity: 'error',
    code: 'multiple-entries',
    message: `${describeNode(entry)} is a second entry; a journey has exactly one.`,
    nodeId: entry.id,
  }));
};
