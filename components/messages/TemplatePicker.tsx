'use client';
import { useEffect, useState } from 'react';
import type { MessageContent } from '@/lib/messages/content';
import { MessagePreviewDialog } from './MessagePreview';

export type TemplateOption = {
  id: number;
  name: string;
  description: string;
  version: number;
  content: MessageContent;
};

/**
 * Where a send step's message comes from: its own content, or a template of the library
 * (Settings → Message templates). Publishing copies the template's current version into the
 * published journey, so a later template edit changes nothing live until the journey is published
 * again. Switching back to own content starts from a copy of the template.
 */
export function TemplatePicker({
  template,
  pinnedContent,
  purpose,
  theme,
  disabled,
  onUseTemplate,
  onUseOwnContent,
}: {
  /** The step's template reference (`version` only on a published version). */
  template: { id: number; version?: number } | undefined;
  /** What a published version copied from the template (previewed instead of the current one). */
  pinnedContent?: MessageContent;
  purpose: string;
  theme?: string;
  disabled: boolean;
  onUseTemplate: (id: number) => void;
  onUseOwnContent: (start: MessageContent | undefined) => void;
}) {
  const [templates, setTemplates] = useState<TemplateOption[] | null>(null);
  const [previewOpen, setPreviewOpen] = useState(false);
  useEffect(() => {
    let live = true;
    void fetch('/api/messages/templates')
      .then((response) => (response.ok ? response.json() : { templates: [] }))
      .then((json: { templates: TemplateOption[] }) => live && setTemplates(json.templates))
      .catch(() => live && setTemplates([]));
    return () => {
      live = false;
    };
  }, []);
  const chosen = template ? templates?.find((option) => option.id === template.id) : undefined;
  const content = pinnedContent ?? chosen?.content;

  return (
    <div data-testid="template-picker" style={{ margin: '0.5rem 0' }}>
      <label>
        Message
        <select
          value={template ? String(template.id) : ''}
          disabled={disabled || templates === null}
          onChange={(event) => {
            const id = Number(event.target.value);
            if (id) onUseTemplate(id);
            else onUseOwnContent(content ? structuredClone(content) : undefined);
          }}
        >
          <option value="">Own content of this step</option>
          {template && !chosen && templates !== null && (
            <option value={String(template.id)}>Template #{template.id} (archived or missing)</option>
          )}
          {(templates ?? []).map((option) => (
            <option key={option.id} value={String(option.id)}>
              Template: {option.name}
            </option>
          ))}
        </select>
      </label>
      {template && (
        <div className="muted" style={{ fontSize: '0.85rem' }} data-testid="template-summary">
          {chosen?.description && <p style={{ margin: '0.2rem 0' }}>{chosen.description}</p>}
          <p style={{ margin: '0.2rem 0' }}>
            {template.version
              ? `Published with version ${template.version} of the template${chosen && chosen.version !== template.version ? ` (now at version ${chosen.version}: publish again to use it)` : ''}.`
              : `Publishing copies the template's current version${chosen ? ` (${chosen.version})` : ''} into the journey; later edits need a new publish.`}
          </p>
          <p style={{ margin: '0.2rem 0' }}>
            <a href={`/settings/templates/${template.id}`}>Edit the template in Settings</a>
          </p>
          <button type="button" onClick={() => setPreviewOpen(true)} disabled={!purpose || !content}>
            Preview and send test
          </button>
          {!purpose && <p>Choose the purpose to preview.</p>}
        </div>
      )}
      {previewOpen && content && (
        <MessagePreviewDialog
          content={content}
          purpose={purpose}
          theme={theme}
          language={content.fallbackLanguage}
          onClose={() => setPreviewOpen(false)}
        />
      )}
    </div>
  );
}
