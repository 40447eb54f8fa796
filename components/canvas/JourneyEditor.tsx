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
import { isBlankJourney, summarizeStepConfig, type JourneyDraft } from '@/lib/journey';
import { AnnotationStore } from './annotations';
import { CanvasBackground, LevelOfDetail } from './detail';
import { edgeTypes } from './JourneyEdge';
import { CanvasControls, CanvasMap, InitialFit, useFitReadable, useMapShown } from './CanvasMap';
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
import {
  ARIA_LABELS,
  ARROWS,
  DEFAULT_EDGE_OPTIONS,
  MULTI_SELECTION_KEYS,
  PRO_OPTIONS,
} from './editor/canvas-setup';
import { useInspection, useSelectionAnnouncement } from './editor/useInspection';
import { usePublishChoice } from './editor/usePublishChoice';
import { useSelectionCommands } from './editor/useSelectionCommands';
import { useStepAdding } from './editor/useStepAdding';
import { fromFlow, type StepFlowEdge, type StepFlowNode } from './flow-model';
import { initialViewFor } from './initial-view';
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
  const fit = useFitReadable();
  const fitAfterLayout = useCallback(() => void fit(mapShownRef.current), [fit]);
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

  const { copy, removeSelected, focusNode } = useSelectionCommands({ flow, graph, notify });
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
  const {
    selectedNodes,
    selectedEdges,
    inspected,
    stepRefs,
    inspectedTargets,
    inspectedRef,
    connectInspected,
    addAfterInspected,
  } = useInspection({
    nodes: state.nodes,
    edges: state.edges,
    committed,
    connect: connections.connect,
    openPickerAfter,
  });
  useSelectionAnnouncement({
    selectedNodes,
    selectedEdges,
    stateRef: graph.stateRef,
    selectionFollowsEditRef: selectionFollowsEdit,
    readOnly,
    announce: setAnnouncement,
  });
  const { running, choosing, onPublish, cancelChoice, confirmChoice } = usePublishChoice({
    run: publish.run,
    flushSave,
    committedGraph,
    hasLiveVersion,
    runningCustomers,
    liveStats,
  });
  const toggleMap = useCallback(() => setMapShown((shown) => !shown), [setMapShown]);
  const zoomToFit = useCallback(() => void fit(mapShown, 200), [fit, mapShown]);

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
          <PublishChoiceDialog runningCount={running} onCancel={cancelChoice} onConfirm={confirmChoice} />
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
