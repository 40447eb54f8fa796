'use client';
import { createContext, useContext } from 'react';
import type { SummaryContext } from '@/lib/journey';
import { AnnotationStore } from './annotations';

export interface CanvasContextValue {
  annotations: AnnotationStore;
  summary: SummaryContext;
}

export const CanvasContext = createContext<CanvasContextValue>({
  annotations: new AnnotationStore(),
  summary: {},
});

export function useCanvasContext(): CanvasContextValue {
  return useContext(CanvasContext);
}
