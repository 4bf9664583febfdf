import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';

/** What the graph draws for a node: a state, a branch or item processor box, or start/end. */
export interface GraphNodeInfo {
  kind: 'state' | 'branch' | 'terminal';
  /** The ASL state name (for a state), or the box's caption. */
  label: string;
  stateType?: string;
  /** Inside a Distributed Map's item processor: it runs in child executions, not in this one. */
  inChildExecutions?: boolean;
}

/** The elk graph of a definition, plus what each node id stands for. */
export interface GraphModel {
  root: ElkNode;
  info: Map<string, GraphNodeInfo>;
}

interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next?: string }[];
  Catch?: { Next?: string }[];
  Branches?: AslMachine[];
  ItemProcessor?: AslMachine & { ProcessorConfig?: { Mode?: string } };
  Iterator?: AslMachine;
}

interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
}

const charWidth = 7.5;
const stateHeight = 44;

// ELK lays out the boxes (layered, top to bottom), nested boxes included, and routes the edges;
// coordinates come back relative to the root so the SVG needs no offsets of its own.
const rootOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '28',
  'elk.spacing.nodeNode': '24',
  'elk.edgeRouting': 'ORTHOGONAL',
  'org.eclipse.elk.json.edgeCoords': 'ROOT',
  'org.eclipse.elk.json.shapeCoords': 'ROOT',
};
const boxOptions = { 'elk.padding': '[top=30,left=14,bottom=14,right=14]' };

function successors(state: AslState): string[] {
  return [
    ...(state.Next ? [state.Next] : []),
    ...(state.Default ? [state.Default] : []),
    ...(state.Choices ?? []).flatMap((c) => (c.Next ? [c.Next] : [])),
    ...(state.Catch ?? []).flatMap((c) => (c.Next ? [c.Next] : [])),
  ];
}

/**
 * Turns an ASL definition into an elk graph: a node per state (ids are paths, so equal names in
 * different branches stay apart), a box per Parallel branch and per Map item processor nested in
 * its state, an edge per Next, Default, Choice and Catch. Only the top level gets Start and End.
 */
export function definitionGraph(definition: AslMachine): GraphModel {
  const info = new Map<string, GraphNodeInfo>();
  let edgeCount = 0;
  const edge = (from: string, to: string): ElkExtendedEdge => ({
    id: `e${edgeCount++}`,
    sources: [from],
    targets: [to],
  });

  const machine = (
    prefix: string,
    asl: AslMachine,
    inChildExecutions: boolean,
  ): { children: ElkNode[]; edges: ElkExtendedEdge[] } => {
    const idOf = (name: string) => `${prefix}${name}`;
    const children: ElkNode[] = [];
    const edges: ElkExtendedEdge[] = [];
    for (const [name, state] of Object.entries(asl.States)) {
      const id = idOf(name);
      info.set(id, { kind: 'state', label: name, stateType: state.Type, inChildExecutions });
      const width = Math.max(120, (name.length + 4) * charWidth);
      const processor = state.ItemProcessor ?? state.Iterator;
      const boxes =
        state.Type === 'Parallel'
          ? (state.Branches ?? []).map((branch, i) => ({ caption: `Branch ${i + 1}`, asl: branch }))
          : state.Type === 'Map' && processor
            ? [
                state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED'
                  ? {
                      caption: 'Item processor (child executions: see the Map Run)',
                      asl: processor,
                      distributed: true,
                    }
                  : { caption: 'Item processor', asl: processor },
              ]
            : [];
      if (boxes.length === 0) {
        children.push({ id, width, height: stateHeight });
      } else {
        const inner = boxes.map((box, i) => {
          const boxId = `${id}/${i}`;
          info.set(boxId, { kind: 'branch', label: box.caption });
          const distributed = inChildExecutions || ('distributed' in box && box.distributed === true);
          return { id: boxId, layoutOptions: boxOptions, ...machine(`${boxId}/`, box.asl, distributed) };
        });
        children.push({
          id,
          layoutOptions: { ...boxOptions, 'elk.nodeSize.minimum': `(${width},${stateHeight})` },
          children: inner,
        });
      }
      for (const next of successors(state)) if (asl.States[next]) edges.push(edge(id, idOf(next)));
    }
    return { children, edges };
  };

  const top = machine('', definition, false);
  info.set('(start)', { kind: 'terminal', label: 'Start' });
  info.set('(end)', { kind: 'terminal', label: 'End' });
  const terminal = (id: string): ElkNode => ({ id, width: 64, height: 28 });
  const ends = Object.entries(definition.States)
    .filter(([, state]) => state.End || state.Type === 'Succeed' || state.Type === 'Fail')
    .map(([name]) => edge(name, '(end)'));
  return {
    info,
    root: {
      id: '(root)',
      layoutOptions: rootOptions,
      children: [terminal('(start)'), ...top.children, terminal('(end)')],
      edges: [edge('(start)', definition.StartAt), ...top.edges, ...ends],
    },
  };
}
