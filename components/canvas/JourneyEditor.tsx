'use client';
import '@xyflow/react/dist/style.css';
import {
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type NodeTypes,
  type OnBeforeDelete,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isBlankJourney, stepDefinitions, summarizeStepConfig, type JourneyDraft } from '@/lib/journey';
import { AnnotationStore } from './annotations';
import { CanvasBackground, LevelOfDetail } from './detail';
import { edgeTypes } from './JourneyEdge';
import { CanvasControls, CanvasMap, InitialFit, fitReadable, useMapShown } from './CanvasMap';
import { CanvasContext } from './context';
import { ConnectionsPanel } from './editor/ConnectionsPanel';
import { EditorToolbar } from './editor/EditorToolbar';
import { EmptyJourney } from './editor/EmptyJourney';
import { Notices, SaveProblems } from './editor/Notices';
import { SelectedConnection } from './editor/SelectedConnection';
import { StepPicker } from './editor/StepPicker';
import { useConnections } from './editor/useConnections';
import { commit, useEditorGraph } from './editor/useEditorGraph';
import { useEditorIssues } from './editor/useEditorIssues';
import { isTypingTarget, useEditorShortcuts } from './editor/useEditorShortcuts';
import { useNotices } from './editor/useNotices';
import { useStepAdding } from './editor/useStepAdding';
import { fromFlow, type StepFlowEdge, type StepFlowNode } from './flow-model';
import { Inspector } from './inspector/Inspector';
import { EntryAudience } from './inspector/EntryAudience';
import type { Vocabulary } from './inspector/ConfigForm';
import type { PurposeOption } from './inspector/schema-form';
import { Palette } from './Palette';
import { PublishChoiceDialog } from './PublishChoiceDialog';
import { StepNode } from './StepNode';
import { useAutosave } from './useAutosave';
import { usePublish } from './usePublish';
import { ValidationList } from './ValidationList';
import styles from './canvas.module.css';

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
  /** Attribute and event names seen in the data, for the pickers. */
  vocabulary?: Vocabulary;
  readOnly: boolean;
}

const nodeTypes: NodeTypes = { step: StepNode };

const LARGE_GRAPH = 150;

function initialViewFor(graph: JourneyDraft) {
  const start = graph.nodes.find((node) => node.type === 'entry') ?? graph.nodes[0];
  if (graph.nodes.length <= LARGE_GRAPH || !start) {
    return { fitOnInit: true } as const;
  }
  return {
    fitOnInit: false,
    defaultViewport: { x: -start.position.x + 80, y: -start.position.y + 60, zoom: 1 },
  } as const;
}

// Props of <ReactFlow> that are objects or arrays live here, not inline: React Flow copies each
// changed prop into its store, and every store update runs every step's and connection's
// selector; an inline object is a new one on every render, and the editor renders on every drag frame.
const DEFAULT_EDGE_OPTIONS = { type: 'journey', interactionWidth: 24 } as const;
const PRO_OPTIONS = { hideAttribution: true } as const;
const MULTI_SELECTION_KEYS = ['Shift', 'Meta', 'Control'];

const ARROWS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']);

/** What React Flow tells screen readers about steps and connections, in the editor's words. */
const ARIA_LABELS = {
  'node.a11yDescription.default':
    'Press Enter or Space to select this step. With a step selected, arrow keys move it, Delete removes it, and “Next steps” beside the canvas connects its outputs. Escape clears the selection.',
  'node.a11yDescription.keyboardDisabled': 'Press Enter or Space to select this step.',
  'node.a11yDescription.ariaLiveMessage': ({ direction }: { direction: string; x: number; y: number }) =>
    `Moved the step ${direction}.`,
  'edge.a11yDescription.default': 'Press Enter or Space to select this connection, then Delete to remove it.',
};

function stepTitle(node: Pick<StepFlowNode, 'data'>): string {
  return node.data.title?.trim() || stepDefinitions[node.data.stepType].label;
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
  status: initialStatus,
  hasLiveVersion: initiallyLive,
  runningCustomers,
  initialGraph,
  initialRevision,
  purposes,
  vocabulary,
  readOnly,
}: JourneyEditorProps) {
  const flow = useReactFlow<StepFlowNode, StepFlowEdge>();
  const [annotations] = useState(() => new AnnotationStore());
  const [status, setStatus] = useState(initialStatus);
  const [hasLiveVersion, setHasLiveVersion] = useState(initiallyLive);
  const [announcement, setAnnouncement] = useState('');
  // Adding or deleting steps is announced; the selection change it causes is not announced over it.
  const selectionFollowsEdit = useRef(0);
  const announceEdit = useCallback((message: string) => {
    selectionFollowsEdit.current = Date.now();
    setAnnouncement(message);
  }, []);
  const { notices, notify, dismiss } = useNotices();
  const wrapperRef = useRef<HTMLDivElement>(null);
  const [mapShown, setMapShown] = useMapShown(initialGraph.nodes.length);
  const mapShownRef = useRef(mapShown);
  useEffect(() => {
    mapShownRef.current = mapShown;
  }, [mapShown]);

  const liveAtRef = useRef<Record<string, number>>({});
  const confirmDelete = useCallback((nodeIds: string[]) => {
    const customers = nodeIds.reduce((sum, id) => sum + (liveAtRef.current[id] ?? 0), 0);
    if (customers === 0) return true;
    return window.confirm(
      `${customers} ${customers === 1 ? 'customer is' : 'customers are'} at ${nodeIds.length === 1 ? 'this step' : 'these steps'} in the live version. ` +
        'Deleting changes only the draft; when you publish, they follow the new version. Delete?',
    );
  }, []);

  // Auto-layout fits like "Zoom to fit" (a small journey stays readable), at once and without
  // animation: a click right after it lands on the step where it is drawn.
  const fitAfterLayout = useCallback(() => void fitReadable(flow, mapShownRef.current), [flow]);
  const graph = useEditorGraph({
    initialGraph,
    readOnly,
    confirmDelete,
    announce: announceEdit,
    fit: fitAfterLayout,
  });
  const { state } = graph;

  const summaryContext = useMemo(() => {
    const names = new Map(purposes.map((purpose) => [purpose.key, purpose.name]));
    return { purposeName: (key: string) => names.get(key) };
  }, [purposes]);

  // ------------------------------------------------------------ publish, validation, live counts
  const onPublished = useCallback((next: string) => {
    setStatus(next);
    setHasLiveVersion(true);
  }, []);
  const publish = usePublish(journeyId, notify, onPublished);
  const committed = state.history.present;
  const committedGraph = useMemo(() => fromFlow(committed.nodes, committed.edges), [committed]);
  const { shownIssues, liveStats } = useEditorIssues({
    journeyId,
    hasLiveVersion,
    committedGraph,
    purposes,
    serverIssues: publish.serverIssues,
    annotations,
  });
  useEffect(() => {
    liveAtRef.current = liveStats?.atNode ?? {};
  }, [liveStats]);

  // ------------------------------------------------------------ autosave
  const autosave = useAutosave({ journeyId, initialRevision, enabled: !readOnly });
  const { schedule: scheduleSave, flush: flushSave } = autosave;
  const firstCommit = useRef(committed);
  // Runs once per committed graph (edits, undo, redo), never on re-renders in between.
  useEffect(() => {
    if (committed === firstCommit.current) return;
    scheduleSave(committedGraph);
  }, [committed, committedGraph, scheduleSave]);

  // ------------------------------------------------------------ adding steps
  const adding = useStepAdding({ graph, flow, wrapperRef, readOnly });
  const { openPickerAfter } = adding;

  const canvasContext = useMemo(
    () => ({ annotations, summary: summaryContext, onAddAfter: readOnly ? undefined : openPickerAfter }),
    [annotations, summaryContext, openPickerAfter, readOnly],
  );

  // ------------------------------------------------------------ connections
  const connections = useConnections({
    graph,
    readOnly,
    notify,
    announce: setAnnouncement,
    onDropOnPane: adding.onDropOnPane,
  });

  const onBeforeDelete = useCallback<OnBeforeDelete<StepFlowNode, StepFlowEdge>>(
    async ({ nodes }) => !readOnly && confirmDelete(nodes.map((node) => node.id)),
    [confirmDelete, readOnly],
  );

  // React Flow moves selected steps with the arrow keys; the move becomes one undoable, saved edit.
  const { update } = graph;
  const onKeyUp = useCallback(
    (event: React.KeyboardEvent) => {
      if (readOnly || !ARROWS.has(event.key) || isTypingTarget(event.target)) return;
      if (!(event.target instanceof HTMLElement) || !event.target.closest('.react-flow__node')) return;
      // React Flow's own live region says where the step moved ('node.a11yDescription.ariaLiveMessage').
      update((s) => (s.nodes === s.history.present.nodes ? s : commit(s)));
    },
    [readOnly, update],
  );

  const focusNode = useCallback(
    (nodeId: string) => {
      const node = flow.getNode(nodeId);
      if (!node) return;
      graph.selectOnly(nodeId);
      const width = node.measured?.width ?? 240;
      const height = node.measured?.height ?? 88;
      void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, {
        zoom: 1.1,
        duration: 300,
      });
    },
    [flow, graph],
  );

  const { copy: copySteps } = graph;
  const copy = useCallback(() => {
    const count = copySteps();
    if (count > 0)
      notify({
        topic: 'clipboard',
        kind: 'info',
        message: `Copied ${count} ${count === 1 ? 'step' : 'steps'}`,
      });
  }, [copySteps, notify]);
  const removeSelected = useCallback(() => {
    const nodes = flow.getNodes().filter((node) => node.selected);
    const edges = flow.getEdges().filter((edge) => edge.selected);
    if (nodes.length === 0 && edges.length === 0) return false;
    // Asks onBeforeDelete (customers at the step) and reports through onDelete, as React Flow's own key did.
    void flow.deleteElements({ nodes, edges });
    return true;
  }, [flow]);
  useEditorShortcuts({
    readOnly,
    undo: graph.undo,
    redo: graph.redo,
    copy,
    paste: graph.paste,
    removeSelected,
  });

  // A big journey opens at its entry step (drawing a thousand steps at once is slow); a small one fits the view.
  const [{ fitOnInit, ...initialView }] = useState(() => initialViewFor(initialGraph));
  const selectedNodes = useMemo(() => state.nodes.filter((node) => node.selected), [state.nodes]);
  const selectedEdges = useMemo(() => state.edges.filter((edge) => edge.selected), [state.edges]);
  const inspectedNode = selectedNodes.length === 1 ? selectedNodes[0] : undefined;

  // Selection is announced with what can be done with it next. (Derived from the editor's own
  // state: React Flow's onSelectionChange would scan every step and connection on every drag frame.)
  const selectionKey = [
    ...selectedNodes.map((node) => node.id),
    '|',
    ...selectedEdges.map((edge) => edge.id),
  ].join(' ');
  const { stateRef } = graph;
  useEffect(() => {
    // Runs when the selection changes (not on every frame), reading it from the editor's state.
    const nodes = stateRef.current.nodes.filter((node) => node.selected);
    const edges = stateRef.current.edges.filter((edge) => edge.selected);
    if (Date.now() - selectionFollowsEdit.current < 1000) {
      selectionFollowsEdit.current = 0;
      return;
    }
    if (nodes.length === 1 && edges.length === 0)
      setAnnouncement(
        `Selected “${stepTitle(nodes[0])}”.${readOnly ? '' : ' Arrow keys move it, Delete removes it.'}`,
      );
    else if (nodes.length === 0 && edges.length === 1)
      setAnnouncement(`Selected a connection.${readOnly ? '' : ' Press Delete to remove it.'}`);
    else if (nodes.length + edges.length > 1)
      setAnnouncement(
        `Selected ${nodes.length} ${nodes.length === 1 ? 'step' : 'steps'} and ${edges.length} ${edges.length === 1 ? 'connection' : 'connections'}.`,
      );
    // selectionKey: the selected ids, so this runs once per change of the selection.
  }, [selectionKey, readOnly, stateRef]);
  // Dragging changes a node's position, not its data: keep the inspector's input stable meanwhile.
  const inspectedId = inspectedNode?.id;
  const inspectedData = inspectedNode?.data;
  const inspected = useMemo(
    () => (inspectedId && inspectedData ? { id: inspectedId, data: inspectedData } : undefined),
    [inspectedId, inspectedData],
  );
  const stepRefs = useMemo(
    () =>
      committed.nodes.map((node) => ({
        id: node.id,
        type: node.data.stepType,
        title: node.data.title?.trim() || stepDefinitions[node.data.stepType].label,
      })),
    [committed.nodes],
  );
  const inspectedTargets = useMemo(() => {
    const targets: Record<string, string> = {};
    for (const edge of committed.edges)
      if (edge.source === inspectedId) targets[edge.sourceHandle ?? ''] = edge.target;
    return targets;
  }, [committed.edges, inspectedId]);

  const { run: runPublish } = publish;
  const publishNow = useCallback(
    async (moveRunning?: boolean) => {
      const revision = await flushSave();
      if (revision === null) return;
      await runPublish(revision, committedGraph, moveRunning);
    },
    [flushSave, committedGraph, runPublish],
  );
  // Customers in the live version: the page's count, kept current by the live counts while open.
  const liveRunning = liveStats ? Object.values(liveStats.atNode).reduce((sum, n) => sum + n, 0) : 0;
  const running = hasLiveVersion ? Math.max(runningCustomers, liveRunning) : 0;
  const [choosing, setChoosing] = useState(false);
  const onPublish = useCallback(() => {
    if (running > 0) setChoosing(true);
    else void publishNow();
  }, [running, publishNow]);

  const { connect } = connections;
  // Stable props for the "Next steps" panel: it lists every step, so it must not re-render while a step is dragged.
  const inspectedRef = useMemo(
    () =>
      inspectedId && inspectedData
        ? {
            id: inspectedId,
            type: inspectedData.stepType,
            title: stepTitle({ data: inspectedData }),
            config: inspectedData.config,
          }
        : undefined,
    [inspectedId, inspectedData],
  );
  const connectInspected = useCallback(
    (sourceHandle: string, target: string | null) => {
      if (inspectedId) connect({ source: inspectedId, sourceHandle, target }, true);
    },
    [connect, inspectedId],
  );
  const addAfterInspected = useCallback(
    (sourceHandle: string) => {
      if (inspectedId) openPickerAfter(inspectedId, sourceHandle);
    },
    [openPickerAfter, inspectedId],
  );
  const toggleMap = useCallback(() => setMapShown((shown) => !shown), [setMapShown]);
  const zoomToFit = useCallback(() => void fitReadable(flow, mapShown, 200), [flow, mapShown]);

  const titleOf = (id: string) => stepRefs.find((step) => step.id === id)?.title ?? id;
  const blank = isBlankJourney(committedGraph);
  const blankEntry = blank ? committed.nodes[0] : undefined;

  return (
    <CanvasContext.Provider value={canvasContext}>
      <div className={styles.editor}>
        <EditorToolbar
          journeyId={journeyId}
          journeyName={journeyName}
          status={status}
          readOnly={readOnly}
          canUndo={state.history.past.length > 0}
          canRedo={state.history.future.length > 0}
          saveLabel={autosave.label}
          publishing={publish.pending}
          publishDisabled={publish.pending || autosave.conflict}
          onUndo={graph.undo}
          onRedo={graph.redo}
          onAutoLayout={graph.autoLayout}
          onZoomToFit={zoomToFit}
          onPublish={onPublish}
        />
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
        {readOnly ? (
          <p className="muted" style={{ margin: 0 }}>
            Read-only view: your role may look but not edit.
          </p>
        ) : (
          <Palette disabled={readOnly} onAdd={adding.addAtCentre} />
        )}
        <div
          className={styles.canvasWrap}
          ref={wrapperRef}
          data-testid="journey-canvas"
          onDragOver={adding.onDragOver}
          onDrop={adding.onDrop}
          onKeyUp={onKeyUp}
        >
          <LevelOfDetail>
            <ReactFlow<StepFlowNode, StepFlowEdge>
              nodes={state.nodes}
              edges={state.edges}
              nodeTypes={nodeTypes}
              onNodesChange={graph.onNodesChange}
              onEdgesChange={graph.onEdgesChange}
              onConnect={connections.onConnect}
              onConnectEnd={connections.onConnectEnd}
              isValidConnection={connections.isValidConnection}
              onBeforeDelete={onBeforeDelete}
              onDelete={graph.onDelete}
              onNodeDragStop={graph.onNodeDragStop}
              ariaLabelConfig={ARIA_LABELS}
              nodesDraggable={!readOnly}
              nodesConnectable={!readOnly}
              edgesFocusable={!readOnly}
              deleteKeyCode={null}
              multiSelectionKeyCode={MULTI_SELECTION_KEYS}
              selectionKeyCode="Shift"
              onlyRenderVisibleElements
              {...initialView}
              minZoom={0.02}
              edgeTypes={edgeTypes}
              defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
              proOptions={PRO_OPTIONS}
              aria-label="Journey canvas"
            >
              <CanvasBackground />
              <CanvasMap shown={mapShown} onToggle={toggleMap} nodes={committed.nodes} />
              {fitOnInit && <InitialFit mapShown={mapShown} />}
              <CanvasControls mapShown={mapShown} />
            </ReactFlow>
          </LevelOfDetail>
          <Notices notices={notices} onDismiss={dismiss}>
            <SaveProblems conflict={autosave.conflict} error={autosave.error} />
          </Notices>
          {!readOnly && selectedEdges.length > 0 && (
            <SelectedConnection
              count={selectedEdges.length}
              from={selectedEdges.length === 1 ? titleOf(selectedEdges[0].source) : undefined}
              to={selectedEdges.length === 1 ? titleOf(selectedEdges[0].target) : undefined}
              onDelete={() => graph.deleteEdges(selectedEdges.map((edge) => edge.id))}
            />
          )}
          {blankEntry && !adding.picker && (
            <EmptyJourney
              whoEnters={summarizeStepConfig('entry', blankEntry.data.config, summaryContext)}
              readOnly={readOnly}
              onChooseWhoEnters={() => graph.selectOnly(blankEntry.id)}
              onAddFirstStep={() => openPickerAfter(blankEntry.id, 'next')}
            />
          )}
          <p className="visually-hidden" aria-live="polite" data-testid="canvas-announcer">
            {announcement}
          </p>
        </div>
        <div className={styles.side}>
          {inspected?.data.stepType === 'entry' && (
            <EntryAudience journeyId={journeyId} graph={committedGraph} purposes={purposes} />
          )}
          <Inspector
            node={inspected}
            selectedCount={selectedNodes.length}
            purposes={purposes}
            issues={shownIssues}
            readOnly={readOnly}
            vocabulary={vocabulary}
            onChange={graph.changeNode}
            onDelete={graph.deleteNodes}
          />
          {inspectedRef && (
            <ConnectionsPanel
              node={inspectedRef}
              steps={stepRefs}
              targets={inspectedTargets}
              readOnly={readOnly}
              onConnect={connectInspected}
              onAddAfter={addAfterInspected}
            />
          )}
          <ValidationList
            blank={blank}
            errors={shownIssues.errors}
            warnings={shownIssues.warnings}
            onFocusNode={focusNode}
          />
        </div>
        {adding.picker && (
          <StepPicker
            title={`Add a step after “${titleOf(adding.picker.from.source)}”`}
            onPick={adding.addFromPicker}
            onClose={adding.closePicker}
          />
        )}
      </div>
    </CanvasContext.Provider>
  );
}
