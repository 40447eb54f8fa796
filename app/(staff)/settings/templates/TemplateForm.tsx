'use client';
import { useActionState, useState } from 'react';
import { MessageEditor } from '@/components/messages/MessageEditor';
import { STARTER_MESSAGE, type MessageContent } from '@/lib/messages/content';
import { saveTemplateAction } from './actions';

/** Create or edit a library template with the send step's message editor. */
export function TemplateForm({
  template,
  purposes,
  readOnly,
}: {
  template?: { id: number; name: string; description: string; content: MessageContent; version: number };
  purposes: { key: string; name: string }[];
  readOnly: boolean;
}) {
  const [state, action, pending] = useActionState(saveTemplateAction, null);
  const [content, setContent] = useState<MessageContent>(template?.content ?? STARTER_MESSAGE);
  const [purpose, setPurpose] = useState(purposes[0]?.key ?? '');
  const failure = state && !state.ok ? state.error : undefined;
  return (
    <form action={action} className="form-stack card" aria-label="Template" style={{ maxWidth: '48rem' }}>
      {template && <input type="hidden" name="id" value={template.id} />}
      <input type="hidden" name="content" value={JSON.stringify(content)} />
      <label htmlFor="template-name">Name</label>
      <input
        id="template-name"
        name="name"
        required
        maxLength={200}
        defaultValue={template?.name ?? ''}
        disabled={readOnly}
        aria-invalid={failure?.field === 'name' || undefined}
      />
      <label htmlFor="template-description">Description (for marketers choosing a template)</label>
      <input
        id="template-description"
        name="description"
        maxLength={1000}
        defaultValue={template?.description ?? ''}
        disabled={readOnly}
      />
      <label htmlFor="template-preview-purpose">Preview for purpose</label>
      <select id="template-preview-purpose" value={purpose} onChange={(e) => setPurpose(e.target.value)}>
        {purposes.map((option) => (
          <option key={option.key} value={option.key}>
            {option.name}
          </option>
        ))}
      </select>
      <MessageEditor content={content} purpose={purpose} disabled={readOnly} onChange={setContent} />
      {failure && (
        <p role="alert" className="error" data-testid="template-error">
          {failure.message}
        </p>
      )}
      {state?.ok && (
        <p role="status" data-testid="template-saved">
          {state.value.message}
        </p>
      )}
      {!readOnly && (
        <button type="submit" className="primary" disabled={pending}>
          {template ? 'Save template' : 'Create template'}
        </button>
      )}
    </form>
  );
}
