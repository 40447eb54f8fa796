'use client';
import { useSyncExternalStore } from 'react';

/**
 * What the canvas shows on a node besides its own data: validation issues, live counts and a
 * searched customer's path. Kept outside the React Flow nodes so updating them never rebuilds
 * node objects, and each node re-renders only when its own annotation changes.
 */
export interface NodeAnnotation {
  errors: string[];
  warnings: string[];
  /** Customers now at the step (live view). */
  liveCount?: number;
  /** Customers that left the step, by output handle (live view). */
  leftBy?: Record<string, number>;
  /** Set when a searched customer passed this step: what happened and why. */
  path?: { outcome: string; reason: string; current: boolean };
}

const EMPTY: NodeAnnotation = Object.freeze({ errors: [], warnings: [] }) as NodeAnnotation;

export class AnnotationStore {
  private byNode = new Map<string, NodeAnnotation>();
  private listeners = new Map<string, Set<() => void>>();

  get(nodeId: string): NodeAnnotation {
    return this.byNode.get(nodeId) ?? EMPTY;
  }

  subscribe(nodeId: string, listener: () => void): () => void {
    let set = this.listeners.get(nodeId);
    if (!set) this.listeners.set(nodeId, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Replaces all annotations, notifying only nodes whose annotation actually changed. */
  replaceAll(next: Map<string, NodeAnnotation>): void {
    const changed = new Set<string>();
    for (const [id, annotation] of next) {
      if (!sameAnnotation(this.byNode.get(id), annotation)) changed.add(id);
    }
    for (const id of this.byNode.keys()) if (!next.has(id)) changed.add(id);
    for (const id of changed) {
      const annotation = next.get(id);
      if (annotation) this.byNode.set(id, annotation);
      else this.byNode.delete(id);
    }
    for (const id of changed) this.listeners.get(id)?.forEach((listener) => listener());
  }
}

function sameAnnotation(a: NodeAnnotation | undefined, b: NodeAnnotation): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

export function useNodeAnnotation(store: AnnotationStore, nodeId: string): NodeAnnotation {
  return useSyncExternalStore(
    (listener) => store.subscribe(nodeId, listener),
    () => store.get(nodeId),
    () => store.get(nodeId),
  );
}
