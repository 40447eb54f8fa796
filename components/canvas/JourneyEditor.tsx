'use client';
import '@xyflow/react/dist/style.css';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type NodeTypes,
  type OnBeforeDelete,
} from '@xyflow/react';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  connectionAllowed,
  freePositionNear,
  getAnyStep,
  stepDefinitions,
  validateJourney,
  type Issue,
  type StepType,
  type ValidationContext,
} from '@/lib/journey';
import {
  applyPositions,
  autoLayoutPositions,
  copySelection,
  createHistory,
  edgeIdFor,
  newNodeId,
  pasteClipboard,
  pushHistory,
  redoHistory,
  undoHistory,
  type Clipboard,
  type History,
} from '@/lib/journeys/graph-edit';
import { AnnotationStore, type NodeAnnotation } from './annotations';
import { CanvasContext } from './context';
import { fromFlow, toFlow, type StepFlowEdge, type StepFlowNode } from './flow-model';
import { Inspector } from './inspector/Inspector';
import type { PurposeOption } from './inspector/schema-form';
import { Palette, STEP_DRAG_MIME } from './Palette';
import { StepNode } from './StepNode';
import { useAutosave } from './useAutosave';
import { PublishChoiceDialog } from './PublishChoiceDialog';
import { usePublish } from './usePublish';
import { ValidationList } from './ValidationList';
import styles from './canvas.module.css';
import type { JourneyDraft } from '@/lib/journey';

export interface JourneyEditorProps {
  journeyId: number;
  journeyName: string;
  status: string;
  hasLiveVersion: boolean;
  /** Customers on their way through the live version when the page loaded (active, waiting or failed). */
  runningCustomers: number;
  initialGraph: JourneyDraft;
  initialRevision: number;
  purposes: PurposeOption[];
  readOnly: boolean;
}

type Snapshot = { nodes: StepFlowNode[]; edges: StepFlowEdge[] };

interface EditorState {
  nodes: StepFlowNode[];
  edges: StepFlowEdge[];
  /** Committed snapshots: every graph or config edit, drag ends included. */
  history: History<Snapshot>;
}

const nodeTypes: NodeTypes = { step: StepNode };

function commit(state: EditorState, nodes = state.nodes, edges = state.edges): EditorState {
  return { nodes, edges, history: pushHistory(state.history, { nodes, edges }) };
}

const LARGE_GRAPH = 150;

function initialViewFor(graph: JourneyDraft) {
  const start = graph.nodes.find((node) => node.type === 'entry') ?? graph.nodes[0];
  if (graph.nodes.length <= LARGE_GRAPH || !start) {
    return { fitView: true, fitViewOptions: { padding: 0.1, maxZoom: 1 } } as const;
  }
  return { defaultViewport: { x: -start.position.x + 80, y: -start.position.y + 60, zoom: 1 } } as const;
}

function isTypingTarget(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

export function JourneyEditor(props: JourneyEditorProps) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}

function Editor({
  journeyId,
  journeyName,
  status,
  hasLiveVersion,
  runningCustomers,
  initialGraph,
  initialRevision,
  purposes,
  readOnly,
}: JourneyEditorProps) {
  const flow = useReactFlow<StepFlowNode, StepFlowEdge>();
  const [state, setState] = useState<EditorState>(() => {
    const initial = toFlow(initialGraph);
    return { ...initial, history: createHistory(initial) };
  });
  const stateRef = useRef(state);
  useLayoutEffect(() => {
    stateRef.current = state;
  }, [state]);
  const [annotations] = useState(() => new AnnotationStore());
  const [status2, setStatusMessage] = useState('');
  const clipboard = useRef<Clipboard | null>(null);
  const wrapperRef = useRef<HTMLDivElement>(null);

  const summaryContext = useMemo(() => {
    const names = new Map(purposes.map((purpose) => [purpose.key, purpose.name]));
    return { purposeName: (key: string) => names.get(key) };
  }, [purposes]);
  const canvasContext = useMemo(
    () => ({ annotations, summary: summaryContext }),
    [annotations, summaryContext],
  );

  // ------------------------------------------------------------ validation (committed graph only, never per drag frame)
  const committed = state.history.present;
  const committedGraph = useMemo(() => fromFlow(committed.nodes, committed.edges), [committed]);
  const validationContext = useMemo<ValidationContext>(
    () => ({
      purposes: purposes.map((p) => ({
        key: p.key,
        legalBasis: p.legalBasis,
        themes: p.themes.map((t) => t.key),
        recipients: p.recipients.map((r) => r.key),
      })),
    }),
    [purposes],
  );
  const validation = useMemo(
    () => validateJourney(committedGraph, validationContext),
    [committedGraph, validationContext],
  );
  const publish = usePublish(journeyId);
  const runPublish = publish.run;
  // After a refused publish the server's findings are shown until the graph changes again.
  const shownIssues = useMemo(() => {
    if (publish.serverIssues && publish.serverIssues.graph === committedGraph) return publish.serverIssues;
    return { errors: validation.errors, warnings: validation.warnings };
  }, [publish.serverIssues, committedGraph, validation]);

  // ------------------------------------------------------------ live counts (a live journey's customers on the editor too)
  const liveStats = useQuery({
    queryKey: ['journey-live', journeyId],
    queryFn: async () => {
      const response = await fetch(`/api/journeys/${journeyId}/live`);
      if (!response.ok) throw new Error(`live stats ${response.status}`);
      return (await response.json()) as {
        atNode: Record<string, number>;
        leftBy: Record<string, Record<string, number>>;
      };
    },
    enabled: hasLiveVersion,
    refetchInterval: 5_000,
  });

  useEffect(() => {
    const next = new Map<string, NodeAnnotation>();
    const ensure = (id: string) => {
      let annotation = next.get(id);
      if (!annotation) next.set(id, (annotation = { errors: [], warnings: [] }));
      return annotation;
    };
    for (const issue of shownIssues.errors) if (issue.nodeId) ensure(issue.nodeId).errors.push(issue.message);
    for (const issue of shownIssues.warnings)
      if (issue.nodeId) ensure(issue.nodeId).warnings.push(issue.message);
    if (liveStats.data) {
      for (const node of committedGraph.nodes) {
        const annotation = ensure(node.id);
        annotation.liveCount = liveStats.data.atNode[node.id] ?? 0;
        annotation.leftBy = liveStats.data.leftBy[node.id];
      }
    }
    annotations.replaceAll(next);
  }, [shownIssues, liveStats.data, committedGraph, annotations]);

  // ------------------------------------------------------------ autosave
  const autosave = useAutosave({ journeyId, initialRevision, enabled: !readOnly });
  const { schedule: scheduleSave, flush: flushSave } = autosave;
  const firstCommit = useRef(committed);
  // Runs once per committed graph (edits, undo, redo), never on re-renders in between.
  useEffect(() => {
    if (committed === firstCommit.current) return;
    scheduleSave(committedGraph);
  }, [committed, committedGraph, scheduleSave]);

  // ------------------------------------------------------------ edits
  const update = useCallback((fn: (state: EditorState) => EditorState) => setState(fn), []);

  const onNodesChange = useCallback(
    (changes: NodeChange<StepFlowNode>[]) => {
      if (readOnly) {
        const allowed = changes.filter((change) => change.type === 'select' || change.type === 'dimensions');
        if (allowed.length) update((s) => ({ ...s, nodes: applyNodeChanges(allowed, s.nodes) }));
        return;
      }
      update((s) => ({ ...s, nodes: applyNodeChanges(changes, s.nodes) }));
    },
    [readOnly, update],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<StepFlowEdge>[]) => {
      const allowed = readOnly ? changes.filter((change) => change.type === 'select') : changes;
      if (allowed.length) update((s) => ({ ...s, edges: applyEdgeChanges(allowed, s.edges) }));
    },
    [readOnly, update],
  );
  const onDelete = useCallback(() => update((s) => commit(s)), [update]);
  const onNodeDragStop = useCallback(() => update((s) => commit(s)), [update]);

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
  }, []);

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

  const onConnect = useCallback(
    (connection: Connection) => {
      if (readOnly) return;
      const wanted = {
        source: connection.source,
        target: connection.target,
        sourceHandle: connection.sourceHandle ?? '',
      };
      const check = connectionAllowed(graphShape(), wanted);
      if (!check.ok) {
        setStatusMessage(check.reason);
        return;
      }
      update((s) => commit(s, s.nodes, [...s.edges, { id: edgeIdFor(wanted), ...wanted }]));
      setStatusMessage('');
    },
    [graphShape, readOnly, update],
  );

  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, connection: FinalConnectionState) => {
      if (connection.isValid !== false || !connection.toNode || !connection.fromNode) return;
      const check = connectionAllowed(graphShape(), {
        source: connection.fromNode.id,
        target: connection.toNode.id,
        sourceHandle: connection.fromHandle?.id ?? '',
      });
      if (!check.ok) setStatusMessage(`Connection refused: ${check.reason}`);
    },
    [graphShape],
  );

  const customersAt = useCallback(
    (nodeIds: string[]) => nodeIds.reduce((sum, id) => sum + (liveStats.data?.atNode[id] ?? 0), 0),
    [liveStats.data],
  );

  const confirmDelete = useCallback(
    (nodeIds: string[]) => {
      const customers = customersAt(nodeIds);
      if (customers === 0) return true;
      return window.confirm(
        `${customers} ${customers === 1 ? 'customer is' : 'customers are'} at ${nodeIds.length === 1 ? 'this step' : 'these steps'} in the live version. ` +
          'Deleting changes only the draft; when you publish, they follow the new version. Delete?',
      );
    },
    [customersAt],
  );

  const onBeforeDelete = useCallback<OnBeforeDelete<StepFlowNode, StepFlowEdge>>(
    async ({ nodes }) => !readOnly && confirmDelete(nodes.map((node) => node.id)),
    [confirmDelete, readOnly],
  );

  const deleteNodes = useCallback(
    (ids: string[]) => {
      if (readOnly || !confirmDelete(ids)) return;
      const gone = new Set(ids);
      update((s) =>
        commit(
          s,
          s.nodes.filter((node) => !gone.has(node.id)),
          s.edges.filter((edge) => !gone.has(edge.source) && !gone.has(edge.target)),
        ),
      );
    },
    [confirmDelete, readOnly, update],
  );

  const addNode = useCallback(
    (type: StepType, position: { x: number; y: number }) => {
      update((s) => {
        const id = newNodeId(
          type,
          s.nodes.map((node) => node.id),
        );
        const node: StepFlowNode = {
          id,
          type: 'step',
          position: { x: Math.round(position.x), y: Math.round(position.y) },
          selected: true,
          data: {
            stepType: type,
            title: stepDefinitions[type].label,
            config: structuredClone(getAnyStep(type).defaultConfig),
          },
        };
        const nodes = [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node];
        return commit(s, nodes);
      });
    },
    [update],
  );

  const addAtCentre = useCallback(
    (type: StepType) => {
      const box = wrapperRef.current?.getBoundingClientRect();
      const centre = box
        ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 })
        : { x: 0, y: 0 };
      const nodes = stateRef.current.nodes.map((n) => ({ type: n.data.stepType, position: n.position }));
      addNode(type, freePositionNear(nodes, type, { x: centre.x - 120, y: centre.y - 44 }));
    },
    [addNode, flow],
  );

  const onDragOver = useCallback((event: React.DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (event: React.DragEvent) => {
      event.preventDefault();
      if (readOnly) return;
      const type = (event.dataTransfer.getData(STEP_DRAG_MIME) ||
        event.dataTransfer.getData('text/plain')) as StepType;
      if (!(type in stepDefinitions)) return;
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addNode(type, { x: position.x - 120, y: position.y - 44 });
    },
    [addNode, flow, readOnly],
  );

  const changeNode = useCallback(
    (nodeId: string, patch: { title?: string; config?: unknown }) => {
      if (readOnly) return;
      update((s) =>
        commit(
          s,
          s.nodes.map((node) => (node.id === nodeId ? { ...node, data: { ...node.data, ...patch } } : node)),
        ),
      );
    },
    [readOnly, update],
  );

  const undo = useCallback(() => {
    update((s) => {
      const history = undoHistory(s.history);
      return history === s.history
        ? s
        : { history, nodes: history.present.nodes, edges: history.present.edges };
    });
  }, [update]);
  const redo = useCallback(() => {
    update((s) => {
      const history = redoHistory(s.history);
      return history === s.history
        ? s
        : { history, nodes: history.present.nodes, edges: history.present.edges };
    });
  }, [update]);

  const copy = useCallback(() => {
    const { nodes, edges } = stateRef.current;
    const selected = nodes.filter((node) => node.selected).map((node) => node.id);
    if (selected.length === 0) return;
    clipboard.current = copySelection(fromFlow(nodes, edges), selected);
    setStatusMessage(`Copied ${selected.length} ${selected.length === 1 ? 'step' : 'steps'}`);
  }, []);

  const paste = useCallback(() => {
    const clip = clipboard.current;
    if (readOnly || !clip || clip.nodes.length === 0) return;
    update((s) => {
      const { graph, pastedIds } = pasteClipboard(fromFlow(s.nodes, s.edges), clip);
      const fresh = new Set(pastedIds);
      const pasted = toFlow(graph);
      const byId = new Map(s.nodes.map((node) => [node.id, node]));
      // Keep the existing node objects (memoised components stay put); select only the pasted ones.
      const nodes = pasted.nodes.map((node) => {
        if (fresh.has(node.id)) return { ...node, selected: true };
        const old = byId.get(node.id)!;
        return old.selected ? { ...old, selected: false } : old;
      });
      const edges = [...s.edges, ...pasted.edges.slice(s.edges.length)];
      return commit(s, nodes, edges);
    });
  }, [readOnly, update]);

  const autoLayout = useCallback(() => {
    if (readOnly) return;
    update((s) => {
      const positions = autoLayoutPositions(fromFlow(s.nodes, s.edges));
      const laidOut = applyPositions(fromFlow(s.nodes, s.edges), positions);
      const byId = new Map(laidOut.nodes.map((node) => [node.id, node.position]));
      return commit(
        s,
        s.nodes.map((node) => ({ ...node, position: byId.get(node.id) ?? node.position })),
      );
    });
    window.requestAnimationFrame(() => void flow.fitView({ padding: 0.1 }));
  }, [flow, readOnly, update]);

  const focusNode = useCallback(
    (nodeId: string) => {
      const node = flow.getNode(nodeId);
      if (!node) return;
      update((s) => ({
        ...s,
        nodes: s.nodes.map((n) =>
          n.id === nodeId
            ? n.selected
              ? n
              : { ...n, selected: true }
            : n.selected
              ? { ...n, selected: false }
              : n,
        ),
      }));
      const width = node.measured?.width ?? 240;
      const height = node.measured?.height ?? 88;
      void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, {
        zoom: 1.1,
        duration: 300,
      });
    },
    [flow, update],
  );

  // Keyboard shortcuts: undo/redo and copy/paste, but never while typing in a field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || isTypingTarget(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !readOnly) {
        event.preventDefault();
        if (event.shiftKey) redo();
        else undo();
      } else if (key === 'y' && !readOnly) {
        event.preventDefault();
        redo();
      } else if (key === 'c') {
        copy();
      } else if (key === 'v' && !readOnly) {
        event.preventDefault();
        paste();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [copy, paste, readOnly, redo, undo]);

  // A big journey opens at its entry step (drawing a thousand steps at once is slow); a small one fits the view.
  const [initialView] = useState(() => initialViewFor(initialGraph));
  const selectedNodes = useMemo(() => state.nodes.filter((node) => node.selected), [state.nodes]);
  const inspectedNode = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
  // Dragging changes a node's position, not its data: keep the inspector's input stable meanwhile.
  const inspectedId = inspectedNode?.id;
  const inspectedData = inspectedNode?.data;
  const inspected = useMemo(
    () => (inspectedId && inspectedData ? { id: inspectedId, data: inspectedData } : undefined),
    [inspectedId, inspectedData],
  );
  const inspectorIssues = useMemo(
    () => ({ errors: shownIssues.errors, warnings: shownIssues.warnings }),
    [shownIssues],
  );

  const publishNow = useCallback(
    async (moveRunning?: boolean) => {
      const revision = await flushSave();
      if (revision === null) return;
      await runPublish(revision, committedGraph, moveRunning);
    },
    [flushSave, committedGraph, runPublish],
  );
  // Customers in the live version: the page's count, kept current by the live counts while open.
  const liveRunning = liveStats.data
    ? Object.values(liveStats.data.atNode).reduce((sum, n) => sum + n, 0)
    : 0;
  const running = hasLiveVersion ? Math.max(runningCustomers, liveRunning) : 0;
  const [choosing, setChoosing] = useState(false);
  const onPublish = useCallback(() => {
    if (running > 0) setChoosing(true);
    else void publishNow();
  }, [running, publishNow]);

  return (
    <CanvasContext.Provider value={canvasContext}>
      <div className={styles.editor}>
        <div className={styles.toolbar} role="toolbar" aria-label="Journey editor">
          <strong>{journeyName}</strong>
          <span className={`badge ${status}`}>{status}</span>
          {!readOnly && (
            <>
              <button
                type="button"
                data-testid="undo"
                onClick={undo}
                disabled={state.history.past.length === 0}
                title="Undo (Ctrl+Z)"
              >
                Undo
              </button>
              <button
                type="button"
                data-testid="redo"
                onClick={redo}
                disabled={state.history.future.length === 0}
                title="Redo (Shift+Ctrl+Z)"
              >
                Redo
              </button>
              <button type="button" onClick={autoLayout}>
                Auto-layout
              </button>
            </>
          )}
          <button type="button" onClick={() => void flow.fitView({ padding: 0.1, duration: 200 })}>
            Zoom to fit
          </button>
          <Link href={`/journeys/${journeyId}/history`}>History</Link>
          <Link href={`/journeys/${journeyId}/live`}>Live view</Link>
          <Link href={`/journeys/${journeyId}/test`}>Test mode</Link>
          <span className={styles.spacer} />
          <span className={styles.saveState} aria-live="polite" data-testid="save-state">
            {readOnly ? 'Read only' : autosave.label}
          </span>
          {!readOnly && (
            <button
              type="button"
              className="primary"
              data-testid="publish"
              onClick={onPublish}
              disabled={publish.pending || autosave.conflict}
            >
              {publish.pending ? 'Publishing…' : 'Publish'}
            </button>
          )}
        </div>
        {choosing && (
          <PublishChoiceDialog
            runningCount={running}
            onCancel={() => setChoosing(false)}
            onConfirm={(moveRunning) => {
              setChoosing(false);
              void publishNow(moveRunning);
            }}
          />
        )}
        {autosave.conflict && (
          <div className={styles.conflict} role="alert" data-testid="conflict-message">
            This draft was changed in another tab or by someone else, so your latest change was not saved and
            nothing was overwritten.{' '}
            <button type="button" onClick={() => window.location.reload()}>
              Reload the draft
            </button>
          </div>
        )}
        {autosave.error && !autosave.conflict && (
          <div className={styles.conflict} role="alert">
            {autosave.error}
          </div>
        )}
        {publish.message && (
          <div
            className={publish.ok ? styles.notice : styles.conflict}
            role="status"
            data-testid="publish-result"
          >
            {publish.message} {publish.ok && <Link href={`/journeys/${journeyId}/history`}>See history</Link>}
          </div>
        )}
        {status2 && (
          <div className={styles.notice} role="status">
            {status2}
          </div>
        )}
        {readOnly ? (
          <p className="muted" style={{ margin: 0 }}>
            Read-only view: your role may look but not edit.
          </p>
        ) : (
          <Palette disabled={readOnly} onAdd={addAtCentre} />
        )}
        <div
          className={styles.canvasWrap}
          ref={wrapperRef}
          data-testid="journey-canvas"
          onDragOver={onDragOver}
          onDrop={onDrop}
        >
          <ReactFlow<StepFlowNode, StepFlowEdge>
            nodes={state.nodes}
            edges={state.edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            isValidConnection={isValidConnection}
            onBeforeDelete={onBeforeDelete}
            onDelete={onDelete}
            onNodeDragStop={onNodeDragStop}
            nodesDraggable={!readOnly}
            nodesConnectable={!readOnly}
            edgesFocusable={!readOnly}
            deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
            multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
            selectionKeyCode="Shift"
            onlyRenderVisibleElements
            {...initialView}
            minZoom={0.05}
            defaultEdgeOptions={{ type: 'smoothstep' }}
            proOptions={{ hideAttribution: true }}
            aria-label="Journey canvas"
          >
            <Background gap={24} />
            <MiniMap pannable zoomable ariaLabel="Mini map" />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
        <div className={styles.side}>
          <Inspector
            node={inspected}
            selectedCount={selectedNodes.length}
            purposes={purposes}
            issues={inspectorIssues}
            readOnly={readOnly}
            onChange={changeNode}
            onDelete={deleteNodes}
          />
          <ValidationList
            errors={shownIssues.errors}
            warnings={shownIssues.warnings}
            onFocusNode={focusNode}
          />
        </div>
      </div>
    </CanvasContext.Provider>
  );
}

export type { Issue };
