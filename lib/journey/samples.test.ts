import { describe, expect, it } from 'vitest';
import { journeyGraphSchema } from './graph';
import { sampleJourneyUsingEveryStep, sampleSimpleJourney, sampleSplitJourney } from './samples';
import { STEP_TYPES } from './steps';
import { purposeCatalog, samplePurposes } from '@/tests/fixtures/journey';
import { validateJourney } from './validate';

describe('sample journeys', () => {
  it('uses all 13 step types in the full sample', () => {
    const graph = sampleJourneyUsingEveryStep(samplePurposes);
    expect(new Set(graph.nodes.map((node) => node.type))).toEqual(new Set(STEP_TYPES));
  });

  it('makes a full sample that parses and validates without errors or warnings', () => {
    const graph = sampleJourneyUsingEveryStep(samplePurposes);
    expect(journeyGraphSchema.safeParse(graph).success).toBe(true);
    expect(validateJourney(graph, purposeCatalog)).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('makes a simple sample of entry → consent gate → send → wait → condition → exit', () => {
    const graph = sampleSimpleJourney('offers');
    expect(graph.nodes.map((node) => node.type)).toEqual([
      'entry',
      'consent-gate',
      'send-message',
      'wait',
      'condition',
      'exit',
    ]);
    expect(journeyGraphSchema.safeParse(graph).success).toBe(true);
    expect(validateJourney(graph, purposeCatalog)).toEqual({ ok: true, errors: [], warnings: [] });
  });
});

describe('split sample', () => {
  it('validates without errors or warnings', () => {
    const graph = sampleSplitJourney('offers');
    expect(journeyGraphSchema.safeParse(graph).success).toBe(true);
    expect(validateJourney(graph, purposeCatalog)).toEqual({ ok: true, errors: [], warnings: [] });
  });
});
