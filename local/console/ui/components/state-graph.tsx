import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { definitionGraph, type GraphNodeInfo } from '../graph-model.ts';
import type { StateProgress, StateStatus } from '../state-progress.ts';

const elk = new ELK();

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
    elk
      .layout(structuredClone(model.root))
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
  const statusOf = (name: string): StateStatus | undefined =>
    props.progress ? (props.progress.byName.get(name)?.status ?? 'not reached') : undefined;
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
        {laid.nodes
          .filter((n) => n.info.kind === 'branch' || (n.info.kind === 'state' && n.compound))
          .map((n) => {
            const status = n.info.kind === 'state' ? statusOf(n.info.label) : undefined;
            return (
              <g key={n.id} class={`box ${n.info.kind} ${status ? `st-${status.replace(' ', '-')}` : ''}`}>
                <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={6} />
                <text x={n.x + 8} y={n.y + 18} class="box-caption">
                  {n.info.kind === 'state' ? `${n.info.label} (${n.info.stateType})` : n.info.label}
                  {status ? ` · ${status}` : ''}
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
        {laid.nodes
          .filter((n) => n.info.kind === 'terminal' || (n.info.kind === 'state' && !n.compound))
          .map((n) => {
            if (n.info.kind === 'terminal')
              return (
                <g key={n.id} class="terminal">
                  <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={14} />
                  <text x={n.x + n.width / 2} y={n.y + 18} text-anchor="middle">
                    {n.info.label}
                  </text>
                </g>
              );
            const name = n.info.label;
            const status = statusOf(name);
            const select = () => props.onSelect?.(name);
            return (
              <g
                key={n.id}
                class={`state ${status ? `st-${status.replace(' ', '-')}` : ''} ${props.selected === name ? 'selected' : ''}`}
                role="button"
                tabIndex={0}
                data-state={name}
                aria-label={status ? `${name}: ${status}` : name}
                aria-pressed={props.selected === name}
                onClick={select}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault();
                    select();
                  }
                }}
              >
                <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={6} />
                <text
                  x={n.x + n.width / 2}
                  y={n.y + (status ? 18 : 27)}
                  text-anchor="middle"
                  class="state-name"
                >
                  {name}
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
