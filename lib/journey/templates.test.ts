import { describe, expect, it } from 'vitest';
import { journeyGraphSchema } from './graph';
import { JOURNEY_TEMPLATE_KEYS, JOURNEY_TEMPLATES, journeyTemplate } from './templates';
import { validateJourney } from './validate';
import { purposeCatalog } from '@/tests/fixtures/journey';

describe('journey starter templates', () => {
  it('has one template per key: welcome, re-consent, win-back, privacy request', () => {
    expect(JOURNEY_TEMPLATES.map((t) => t.key)).toEqual([...JOURNEY_TEMPLATE_KEYS]);
    expect(journeyTemplate('win-back')?.name).toBe('Win-back');
    expect(journeyTemplate('nope')).toBeUndefined();
  });

  it.each(JOURNEY_TEMPLATES.map((t) => [t.key, t] as const))(
    '%s parses and validates with the real validator, no errors or warnings, for each consent purpose',
    (_key, template) => {
      for (const purpose of ['newsletter', 'offers']) {
        const graph = template.build({ purpose });
        expect(journeyGraphSchema.safeParse(graph).success).toBe(true);
        expect(validateJourney(graph, purposeCatalog)).toEqual({ ok: true, errors: [], warnings: [] });
        // No entry that targets everyone: a template starts from an event or a consent.
        const entry = graph.nodes.find((node) => node.type === 'entry')!;
        const config = entry.config as { mode: string; segment?: { conditions: unknown[] } };
        if (config.mode === 'segment') expect(config.segment?.conditions.length).toBeGreaterThan(0);
        if (template.needsPurpose) expect(JSON.stringify(graph)).toContain(`"purpose":"${purpose}"`);
      }
    },
  );
});
