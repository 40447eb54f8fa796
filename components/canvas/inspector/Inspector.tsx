'use client';
import { memo, useMemo } from 'react';
import { z } from 'zod';
import { getAnyStep, type Issue } from '@/lib/journey';
import type { StepNodeData } from '../flow-model';
import { ObjectFields, type FormContext, type Vocabulary } from './ConfigForm';
import { MessageEditor } from '@/components/messages/MessageEditor';
import { TemplatePicker } from '@/components/messages/TemplatePicker';
import {
  messageContentSchema,
  plainMessage,
  STARTER_MESSAGE,
  type MessageContent,
} from '@/lib/messages/content';
import { MessageTools } from './MessageTools';
import { asRecord, configErrors, type PurposeOption } from './schema-form';
import styles from '../canvas.module.css';

export interface InspectorProps {
  node: { id: string; data: StepNodeData } | undefined;
  selectedCount: number;
  purposes: PurposeOption[];
  issues: { errors: Issue[]; warnings: Issue[] };
  readOnly: boolean;
  vocabulary?: Vocabulary;
  onChange: (nodeId: string, patch: { title?: string; config?: unknown }) => void;
  onDelete: (nodeIds: string[]) => void;
}

/** The form of the selected step, generated from its shared zod config schema. */
function InspectorView({
  node,
  selectedCount,
  purposes,
  issues,
  readOnly,
  vocabulary,
  onChange,
  onDelete,
}: InspectorProps) {
  const definition = node ? getAnyStep(node.data.stepType) : undefined;
  const errors = useMemo(() => {
    if (!node || !definition) return new Map<string, string[]>();
    const map = configErrors(definition.configSchema, node.data.config);
    for (const issue of [...issues.errors, ...issues.warnings]) {
      // Config problems are already in the map, in the schema's own short words.
      if (issue.nodeId !== node.id || !issue.field || issue.code === 'invalid-config') continue;
      const key = issue.field.replace(/\[(\d+)\]/g, '.$1');
      const list = map.get(key) ?? [];
      if (!list.includes(issue.message)) map.set(key, [...list, issue.message]);
    }
    return map;
  }, [node, definition, issues]);

  if (!node || !definition) {
    return (
      <section className={`card ${styles.inspector}`} data-testid="inspector" aria-label="Inspector">
        <h2 style={{ marginTop: 0 }}>Inspector</h2>
        <p className="muted">
          {selectedCount > 1
            ? `${selectedCount} steps selected. Copy with Ctrl+C, delete with Delete.`
            : 'Select a step to configure it, or drag one from the palette.'}
        </p>
      </section>
    );
  }
  const config = asRecord(node.data.config);
  const ctx: FormContext = { purposes, config, errors, disabled: readOnly, vocabulary };
  // Problems of one field are shown at that field; the list keeps the step's other problems.
  const nodeIssues = {
    errors: issues.errors.filter((issue) => issue.nodeId === node.id && !issue.field),
    warnings: issues.warnings.filter((issue) => issue.nodeId === node.id && !issue.field),
  };
  const setConfig = (next: unknown) => onChange(node.id, { config: next });
  const titleId = `title-${node.id}`;

  return (
    <section
      className={`card ${styles.inspector}`}
      data-testid="inspector"
      data-node-id={node.id}
      aria-label={`Inspector: ${definition.label}`}
    >
      <h2 style={{ marginTop: 0 }}>
        <span aria-hidden="true">{definition.icon}</span> {definition.label}
      </h2>
      <p className={styles.hint}>{definition.description}</p>
      <form onSubmit={(event) => event.preventDefault()} aria-label={`${definition.label} settings`}>
        <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
          <label htmlFor={titleId}>Title</label>
          <input
            id={titleId}
            type="text"
            value={node.data.title ?? ''}
            maxLength={200}
            onChange={(event) => onChange(node.id, { title: event.target.value })}
            style={{ width: '100%' }}
          />
          <ObjectFields
            schema={formSchemaOf(definition.configSchema, node.data.stepType, config)}
            value={config}
            onChange={setConfig}
            path={[]}
            ctx={ctx}
          />
          {node.data.stepType === 'send-message' && !isPlainMessage(config) && (
            <TemplatePicker
              template={templateRefOf(config)}
              pinnedContent={templateRefOf(config)?.version ? messageContentOf(config) : undefined}
              purpose={typeof config.purpose === 'string' ? config.purpose : ''}
              theme={typeof config.theme === 'string' ? config.theme : undefined}
              disabled={readOnly}
              onUseTemplate={(id) => {
                const { content: _content, subject: _subject, body: _body, ...rest } = config;
                setConfig({ ...rest, template: { id } });
              }}
              onUseOwnContent={(start) => {
                const { template: _template, ...rest } = config;
                setConfig({ ...rest, content: start ?? STARTER_MESSAGE });
              }}
            />
          )}
          {node.data.stepType === 'send-message' && !isPlainMessage(config) && !templateRefOf(config) && (
            <MessageEditor
              content={messageContentOf(config)}
              purpose={typeof config.purpose === 'string' ? config.purpose : ''}
              theme={typeof config.theme === 'string' ? config.theme : undefined}
              disabled={readOnly}
              onChange={(content) => setConfig({ ...config, content })}
            />
          )}
          {node.data.stepType === 'send-message' && isPlainMessage(config) && (
            <button
              type="button"
              disabled={readOnly}
              onClick={() => {
                const { subject, body, ...rest } = config;
                setConfig({
                  ...rest,
                  content: plainMessage(String(subject ?? ''), String(body ?? ''), 'en'),
                });
              }}
            >
              Design this message (languages, layout, preview)
            </button>
          )}
          {node.data.stepType === 'send-message' && isPlainMessage(config) && (
            <MessageTools
              subject={typeof config.subject === 'string' ? config.subject : ''}
              body={typeof config.body === 'string' ? config.body : ''}
              disabled={readOnly}
              onInsert={(variable) =>
                setConfig({
                  ...config,
                  body: `${typeof config.body === 'string' ? config.body : ''}{{${variable}}}`,
                })
              }
            />
          )}
        </fieldset>
      </form>
      {(nodeIssues.errors.length > 0 || nodeIssues.warnings.length > 0) && (
        <ul aria-label="Problems with this step" className={styles.problemList}>
          {nodeIssues.errors.map((issue, i) => (
            <li key={`e${i}`} className={styles.errorText}>
              {issue.message}
            </li>
          ))}
          {nodeIssues.warnings.map((issue, i) => (
            <li key={`w${i}`} className={styles.warningText}>
              {issue.message}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <button
          type="button"
          className="danger"
          onClick={() => onDelete([node.id])}
          style={{ marginTop: '0.75rem' }}
        >
          Delete step
        </button>
      )}
    </section>
  );
}

export const Inspector = memo(InspectorView);

/** A send step written before designed messages: a plain subject and body, no content. */
function isPlainMessage(config: Record<string, unknown>): boolean {
  return config.content === undefined && (config.subject !== undefined || config.body !== undefined);
}

/** The library template a send step uses instead of its own content. */
function templateRefOf(config: Record<string, unknown>): { id: number; version?: number } | undefined {
  const template = config.template as { id?: unknown; version?: unknown } | undefined;
  if (typeof template?.id !== 'number') return undefined;
  return { id: template.id, version: typeof template.version === 'number' ? template.version : undefined };
}

function messageContentOf(config: Record<string, unknown>): MessageContent {
  const parsed = messageContentSchema.safeParse(config.content);
  // A half-typed message (e.g. an empty subject) is still edited as it is.
  return parsed.success ? parsed.data : ((config.content as MessageContent | undefined) ?? STARTER_MESSAGE);
}

/**
 * The designed message has its own editor (components/messages), not generated fields; a plain
 * message keeps its subject and body fields.
 */
function formSchemaOf(schema: z.ZodType, stepType: string, config: Record<string, unknown>): z.ZodType {
  if (stepType !== 'send-message' || !(schema instanceof z.ZodObject)) return schema;
  const {
    content: _content,
    template: _template,
    subject,
    body,
    ...shape
  } = schema.shape as Record<string, z.ZodType>;
  return z.object(isPlainMessage(config) ? { ...shape, subject, body } : shape);
}
