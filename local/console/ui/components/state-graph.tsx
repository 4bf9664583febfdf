import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { definitionGraph, type GraphNodeInfo } from '../graph-model.ts';
import type { StateProgress, StateStatus } from '../state-progress.ts';

// ELK is most of the bundle: loaded when a graph is first drawn, not with every page.
let elk: Promise<{ layout(graph: ElkNode): Promise<ElkNode> }> | undefined;
const layout = (graph: ElkNode) => {
  elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK());
  return elk.then((instance) => instance.layout(graph));
};

interface Laid {
  nodes: {
    id: string;
    x: number;
    y: number;
    width: number;
    height: number;
    compound: boolean;
    info: GraphNodeInfo;
  }[];
  edges: { id: string; points: { x: number; y: number }[] }[];
  width: number;
  height: number;
}

function flatten(node: ElkNode, info: Map<string, GraphNodeInfo>, out: Laid['nodes'], edges: Laid['edges']) {
  for (const edge of node.edges ?? []) {
    for (const section of edge.sections ?? []) {
      edges.push({
        id: `${edge.id}-${section.id}`,
        points: [section.startPoint, ...(section.bendPoints ?? []), section.endPoint],
      });
    }
  }
  for (const child of node.children ?? []) {
    const about = info.get(child.id);
    if (about)
      out.push({
        id: child.id,
        x: child.x ?? 0,
        y: child.y ?? 0,
        width: child.width ?? 0,
        height: child.height ?? 0,
        compound: (child.children?.length ?? 0) > 0,
        info: about,
      });
    flatten(child, info, out, edges);
  }
}

/** The definition drawn as a graph (ELK's layout), each state with what happened to it in words. */
export function StateGraph(props: {
  definition: string;
  progress?: StateProgress;
  selected?: string | undefined;
  onSelect?: (name: string) => void;
}) {
  const model = useMemo(() => definitionGraph(JSON.parse(props.definition)), [props.definition]);
  const [laid, setLaid] = useState<Laid>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let current = true;
    layout(structuredClone(model.root))
      .then((root) => {
        if (!current) return;
        const nodes: Laid['nodes'] = [];
        const edges: Laid['edges'] = [];
        flatten(root, model.info, nodes, edges);
        setLaid({ nodes, edges, width: root.width ?? 0, height: root.height ?? 0 });
      })
      .catch((thrown: Error) => setError(thrown.message));
    return () => {
      current = false;
    };
  }, [model]);
  if (error) return <p class="error-text">The graph could not be laid out: {error}</p>;
  if (!laid) return <p class="muted">Laying out the graph…</p>;
  const statusOf = (node: Laid['nodes'][number]): StateStatus | undefined =>
    props.progress && !node.info.inChildExecutions
      ? (props.progress.byName.get(node.info.label)?.status ?? 'not reached')
      : undefined;
  // Every state, a nested box or not, is a button named "<state>: <status>" that keys can press.
  const interactive = (name: string, status: StateStatus | undefined, kind: string) => {
    const select = () => props.onSelect?.(name);
    return {
      class: `${kind} ${status ? `st-${status.replace(' ', '-')}` : ''} ${props.selected === name ? 'selected' : ''}`,
      role: 'button' as const,
      tabindex: 0,
      'data-state': name,
      'aria-label': status ? `${name}: ${status}` : name,
      'aria-pressed': props.selected === name,
      onClick: (event: MouseEvent) => {
        event.stopPropagation();
        select();
      },
      onKeyDown: (event: KeyboardEvent) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          select();
        }
      },
    };
  };
  // Boxes first, then edges, then the states on top of both.
  const boxes = laid.nodes.filter((n) => n.info.kind === 'branch' || (n.info.kind === 'state' && n.compound));
  const leaves = laid.nodes.filter(
    (n) => n.info.kind === 'terminal' || (n.info.kind === 'state' && !n.compound),
  );
  return (
    <div class="graph-scroll">
      <svg
        class="state-graph"
        role="group"
        aria-label="Graph of the state machine"
        width={laid.width}
        height={laid.height}
        viewBox={`0 0 ${laid.width} ${laid.height}`}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
          </marker>
        </defs>
        {boxes.map((n) => {
          if (n.info.kind === 'branch')
            return (
              <g key={n.id} class="box branch">
                <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={6} />
                <text x={n.x + 8} y={n.y + 18} class="box-caption">
                  {n.info.label}
                </text>
              </g>
            );
          const status = statusOf(n);
          return (
            <g key={n.id} {...interactive(n.info.label, status, 'box state-box')}>
              <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={6} />
              <text x={n.x + 8} y={n.y + 18} class="box-caption">
                {`${n.info.label} (${n.info.stateType})${status ? ` · ${status}` : ''}`}
              </text>
            </g>
          );
        })}
        {laid.edges.map((e) => (
          <polyline
            key={e.id}
            class="edge"
            points={e.points.map((p) => `${p.x},${p.y}`).join(' ')}
            marker-end="url(#arrow)"
          />
        ))}
        {leaves.map((n) => {
          if (n.info.kind === 'terminal')
            return (
              <g key={n.id} class="terminal">
                <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={14} />
                <text x={n.x + n.width / 2} y={n.y + 18} text-anchor="middle">
                  {n.info.label}
                </text>
              </g>
            );
          const status = statusOf(n);
          return (
            <g key={n.id} {...interactive(n.info.label, status, 'state')}>
              <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={6} />
              <text
                x={n.x + n.width / 2}
                y={n.y + (status ? 18 : 27)}
                text-anchor="middle"
                class="state-name"
              >
                {n.info.label}
              </text>
              {status ? (
                <text x={n.x + n.width / 2} y={n.y + 35} text-anchor="middle" class="state-status">
                  {status}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
