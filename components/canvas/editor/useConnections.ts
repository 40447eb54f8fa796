'use client';
import type { Connection, FinalConnectionState, IsValidConnection } from '@xyflow/react';
import { useCallback } from 'react';
import { connectionAllowed, stepDefinitions } from '@/lib/journey';
import { edgeIdFor } from '@/lib/journeys/graph-edit';
import type { StepFlowEdge } from '../flow-model';
import { commit, type EditorGraph } from './useEditorGraph';
import type { Notice } from './useNotices';

export type Wanted = { source: string; sourceHandle: string; target: string };

/** Making, replacing and refusing connections, by mouse (React Flow) or by keyboard (inspector). */
export function useConnections({
  graph,
  readOnly,
  notify,
  announce,
  onDropOnPane,
}: {
  graph: EditorGraph;
  readOnly: boolean;
  notify: (notice: Omit<Notice, 'serial'>) => void;
  announce: (message: string) => void;
  /** A connection dragged from an output and dropped on empty canvas: offer to add a step there. */
  onDropOnPane: (from: { source: string; sourceHandle: string }, screen: { x: number; y: number }) => void;
}) {
  const { stateRef, update } = graph;

  const graphShape = useCallback(() => {
    const { nodes, edges } = stateRef.current;
    return {
      nodes: nodes.map((node) => ({ id: node.id, type: node.data.stepType })),
      edges: edges.map((edge) => ({
        id: edge.id,
        source: edge.source,
        sourceHandle: edge.sourceHandle ?? '',
        target: edge.target,
      })),
    };
  }, [stateRef]);

  const isValidConnection = useCallback<IsValidConnection<StepFlowEdge>>(
    (connection) =>
      !readOnly &&
      connectionAllowed(graphShape(), {
        source: connection.source,
        target: connection.target,
        sourceHandle: connection.sourceHandle ?? '',
      }).ok,
    [graphShape, readOnly],
  );

  const titleOf = useCallback(
    (id: string) => {
      const node = stateRef.current.nodes.find((n) => n.id === id);
      return node ? node.data.title?.trim() || stepDefinitions[node.data.stepType].label : id;
    },
    [stateRef],
  );

  /**
   * Connects an output to a step. With `replace`, an output already in use is re-pointed
   * (the keyboard's way to change a connection); a null target removes the connection.
   */
  const connect = useCallback(
    (wanted: { source: string; sourceHandle: string; target: string | null }, replace = false): boolean => {
      if (readOnly) return false;
      const shape = graphShape();
      const current = shape.edges.find(
        (edge) => edge.source === wanted.source && edge.sourceHandle === wanted.sourceHandle,
      );
      if (wanted.target === null) {
        if (!current) return true;
        update((s) =>
          commit(
            s,
            s.nodes,
            s.edges.filter((edge) => edge.id !== current.id),
          ),
        );
        announce(`Removed the connection from ${titleOf(wanted.source)}`);
        return true;
      }
      const target = wanted.target;
      const without =
        replace && current ? { ...shape, edges: shape.edges.filter((e) => e !== current) } : shape;
      const check = connectionAllowed(without, { ...wanted, target });
      if (!check.ok) {
        notify({ topic: 'connection', kind: 'error', message: `Connection refused: ${check.reason}` });
        return false;
      }
      const edge = { ...wanted, target, id: edgeIdFor({ ...wanted, target }) };
      update((s) =>
        commit(s, s.nodes, [...s.edges.filter((e) => !(replace && current && e.id === current.id)), edge]),
      );
      announce(`Connected ${titleOf(wanted.source)} to ${titleOf(target)}`);
      return true;
    },
    [announce, graphShape, notify, readOnly, titleOf, update],
  );

  const onConnect = useCallback(
    (connection: Connection) =>
      void connect({
        source: connection.source,
        target: connection.target,
        sourceHandle: connection.sourceHandle ?? '',
      }),
    [connect],
  );

  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, connection: FinalConnectionState) => {
      if (readOnly || !connection.fromNode) return;
      const sourceHandle = connection.fromHandle?.id ?? '';
      if (!connection.toNode && connection.fromHandle?.type === 'source') {
        const point = 'changedTouches' in event ? event.changedTouches[0] : event;
        if (point)
          onDropOnPane(
            { source: connection.fromNode.id, sourceHandle },
            { x: point.clientX, y: point.clientY },
          );
        return;
      }
      if (connection.isValid !== false || !connection.toNode) return;
      const check = connectionAllowed(graphShape(), {
        source: connection.fromNode.id,
        target: connection.toNode.id,
        sourceHandle,
      });
      if (!check.ok)
        notify({ topic: 'connection', kind: 'error', message: `Connection refused: ${check.reason}` });
    },
    [graphShape, notify, onDropOnPane, readOnly],
  );

  return { isValidConnection, onConnect, onConnectEnd, connect };
}
