'use client';

import { type ReactFlowState, useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { framingViewport } from './framing';

/**
 * Frames the pipeline's steps (framing.ts): all of them when they can be read whole, else its start
 * at a legible zoom. Call it once the steps are in the store. The view is set once, when the cards
 * have been measured: fitting first and then correcting the zoom made the canvas jump twice.
 */
export function useFraming(): () => Promise<void> {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback(async () => {
    await cardsMeasured(store);
    const nodes = flow.getNodes();
    if (nodes.length === 0) return;
    const { width, height } = store.getState();
    await flow.setViewport(framingViewport(flow.getNodesBounds(nodes), { width, height }));
  }, [flow, store]);
}

type FlowStore = ReturnType<typeof useStoreApi>;

/**
 * Resolves once React Flow holds the cards and has measured every one (their bounds need it). The
 * editor frames only a pipeline with steps, which may reach React Flow a render after the call.
 */
function cardsMeasured(store: FlowStore): Promise<void> {
  const ready = (state: ReactFlowState) => state.nodeLookup.size > 0 && state.nodesInitialized;
  return new Promise((resolve) => {
    if (ready(store.getState())) return resolve();
    const unsubscribe = store.subscribe((state) => {
      if (!ready(state)) return;
      unsubscribe();
      resolve();
    });
  });
}
