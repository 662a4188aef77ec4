/** Where the canvas looks when a pipeline opens or is arranged. Pure. */

/**
 * The smallest zoom the editor frames at: step cards carry 12–13 px text (11 px port names), which
 * at 0.8 still renders at 9–10 px, the least that reads. Users may zoom out further themselves.
 */
export const MIN_LEGIBLE_ZOOM = 0.8;
/** Framing never enlarges cards past their natural size. */
const MAX_FRAMING_ZOOM = 1;
/** Space left around the steps, in screen pixels. */
const MARGIN = 40;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/**
 * All the steps, centred, when they fit at a legible zoom; otherwise the smallest legible zoom with
 * the pipeline's start (its left edge, where the data comes in) in view, so the user pans along
 * the flow instead of squinting at cards too small to read.
 */
export function framingViewport(steps: Rect, pane: { width: number; height: number }): Viewport {
  const fit = Math.min(
    (pane.width - 2 * MARGIN) / Math.max(steps.width, 1),
    (pane.height - 2 * MARGIN) / Math.max(steps.height, 1),
  );
  const zoom = Math.min(MAX_FRAMING_ZOOM, Math.max(MIN_LEGIBLE_ZOOM, fit));
  const width = steps.width * zoom;
  const height = steps.height * zoom;
  const x = width + 2 * MARGIN <= pane.width ? (pane.width - width) / 2 : MARGIN;
  const y = height + 2 * MARGIN <= pane.height ? (pane.height - height) / 2 : MARGIN;
  return { x: x - steps.x * zoom, y: y - steps.y * zoom, zoom };
}
