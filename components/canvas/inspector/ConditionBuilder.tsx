'use client';
import { conditionGroupSchema, describeConditionGroup, type ConditionGroup } from '@/lib/journey';
import { ObjectFields, type FormContext } from './ConfigForm';
import styles from '../canvas.module.css';

/**
 * Condition builder: "all"/"any" plus a list of attribute, consent and event conditions. The
 * fields come from the shared condition schema; the sentence below reads the rule back.
 */
export function ConditionBuilder({
  value,
  onChange,
  ctx,
  path,
}: {
  value: unknown;
  onChange: (value: unknown) => void;
  ctx: FormContext;
  path: string[];
}) {
  const parsed = conditionGroupSchema.safeParse(value);
  return (
    <div data-testid="condition-builder">
      <ObjectFields schema={conditionGroupSchema} value={value} onChange={onChange} path={path} ctx={ctx} />
      <p className={styles.hint} aria-live="polite">
        {parsed.success
          ? `Reads as: ${describeConditionGroup(parsed.data as ConditionGroup)}`
          : 'Finish the conditions above.'}
      </p>
    </div>
  );
}
