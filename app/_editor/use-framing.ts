'use client';

import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { framingViewport } from './framing';

/**
 * Frames the pipeline's steps (framing.ts): all of them when they can be read whole, else its start
 * at a legible zoom. Call it once the steps are in the store.
 */
export function useFraming(): () => Promise<void> {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback(async () => {
    // fitView waits until React Flow has measured the cards, which their bounds need.
    await flow.fitView({ maxZoom: 1 });
    const nodes = flow.getNodes();
    if (nodes.length === 0) return;
    const { width, height } = store.getState();
    await flow.setViewport(framingViewport(flow.getNodesBounds(nodes), { width, height }));
  }, [flow, store]);
}
