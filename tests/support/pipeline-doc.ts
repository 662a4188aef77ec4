import { PIPELINE_SCHEMA_VERSION, type PipelineDocument } from '../../pipeline/document';

type NodeInput = {
  id: string;
  label?: string;
  type: string;
  config?: Record<string, unknown>;
  execution?: { maxAttempts?: number };
};

/** A pipeline document from nodes and "from.port->to.port" edges. */
export function pipelineDoc(
  nodes: NodeInput[],
  edges: string[],
  parameters: PipelineDocument['parameters'] = [],
): PipelineDocument {
  return {
    schemaVersion: PIPELINE_SCHEMA_VERSION,
    nodes: nodes.map((node, index) => ({
      label: '',
      position: { x: index * 200, y: 0 },
      config: {},
      ...node,
    })),
    edges: edges.map((edge, index) => {
      const [from = '', to = ''] = edge.split('->');
      const [sourceNode = '', sourcePort = ''] = from.split('.');
      const [targetNode = '', targetPort = ''] = to.split('.');
      return {
        id: `e${index}`,
        source: { node: sourceNode, port: sourcePort },
        target: { node: targetNode, port: targetPort },
      };
    }),
    parameters,
    notes: [],
  };
}
