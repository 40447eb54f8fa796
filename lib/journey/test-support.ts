/** Small builders for tests: a graph reads like the journey it describes. */
import type { JourneyDraft, JourneyDraftNode, JourneyEdge } from './graph';
import { stepDefinitions, type ConfigOf, type StepType } from './steps';

export function step<T extends StepType>(
  id: string,
  type: T,
  config?: Partial<ConfigOf<T>>,
): JourneyDraftNode {
  return {
    id,
    type,
    position: { x: 0, y: 0 },
    config: { ...stepDefinitions[type].defaultConfig, ...config },
  };
}

export function link(source: string, sourceHandle: string, target: string): JourneyEdge {
  return { id: `${source}.${sourceHandle}->${target}`, source, sourceHandle, target };
}

export function draft(nodes: JourneyDraftNode[], edges: JourneyEdge[] = []): JourneyDraft {
  return { nodes, edges };
}

export const purposeCatalog = {
  purposes: [
    { key: 'newsletter', legalBasis: 'consent', themes: ['product-news', 'events'], recipients: [] },
    { key: 'offers', legalBasis: 'consent', themes: [], recipients: [] },
    { key: 'partner', legalBasis: 'consent', themes: [], recipients: ['Acme Ltd'] },
  ],
};

export const samplePurposes = {
  newsletter: 'newsletter',
  offers: 'offers',
  partner: 'partner',
  partnerRecipient: 'Acme Ltd',
};
