import { z } from 'zod';

/** What travels along an edge. An output connects only to an input of the same kind. */
export const portKinds = ['dataset', 'model', 'metrics', 'deployment', 'report', 'drift'] as const;
export const portKindSchema = z.enum(portKinds);
export type PortKind = z.infer<typeof portKindSchema>;

export interface PortSpec {
  kind: PortKind;
  label: string;
  /** An optional input may stay unconnected; required inputs must have exactly one edge. */
  optional?: boolean;
}

export type Ports = Record<string, PortSpec>;
