'use client';
import { createContext, useContext } from 'react';
import type { SummaryContext } from '@/lib/journey';
import { AnnotationStore } from './annotations';

export interface CanvasContextValue {
  annotations: AnnotationStore;
  summary: SummaryContext;
  /** Set in the editor: the "+" under an output asks for the step to add after it. */
  onAddAfter?: (nodeId: string, sourceHandle: string) => void;
}

export const CanvasContext = createContext<CanvasContextValue>({
  annotations: new AnnotationStore(),
  summary: {},
});

export function useCanvasContext(): CanvasContextValue {
  return useContext(CanvasContext);
}
