import { describe, expect, it } from 'vitest';
import { framingViewport, MIN_LEGIBLE_ZOOM } from './framing';

// The canvas of the editor at 1280×800, between the palette and the window's edge.
const pane = { width: 1040, height: 740 };

describe('framingViewport', () => {
  it('centres steps that fit at their natural size, never enlarging them', () => {
    expect(framingViewport({ x: 0, y: 0, width: 400, height: 100 }, pane)).toEqual({
      x: 320,
      y: 320,
      zoom: 1,
    });
  });

  it('zooms out to fit, down to the legible zoom', () => {
    // 1,000 px of steps fit in the 960 px between the margins at 0.96.
    const viewport = framingViewport({ x: 0, y: 120, width: 1000, height: 90 }, pane);
    expect(viewport.zoom).toBeCloseTo(0.96, 9);
    expect(viewport.x).toBeCloseTo(40, 9);
    expect(viewport.y).toBeCloseTo((740 - 90 * 0.96) / 2 - 120 * 0.96, 9);
  });

  it('shows the start of a pipeline too wide to read whole, at the legible zoom', () => {
    // A template: six cards 260 px apart, 1,500 px in all, from x = 0.
    const viewport = framingViewport({ x: 0, y: 120, width: 1500, height: 90 }, pane);
    expect(viewport.zoom).toBe(MIN_LEGIBLE_ZOOM);
    expect(viewport.x).toBe(40);
    expect(viewport.y).toBeCloseTo((740 - 90 * 0.8) / 2 - 120 * 0.8, 9);
    // Steps placed elsewhere are shown from their own left edge.
    expect(framingViewport({ x: -300, y: 0, width: 1500, height: 90 }, pane).x).toBe(40 + 300 * 0.8);
  });

  it('shows the top left of a pipeline too big both ways', () => {
    expect(framingViewport({ x: 100, y: 50, width: 3000, height: 2000 }, pane)).toEqual({
      x: 40 - 100 * 0.8,
      y: 40 - 50 * 0.8,
      zoom: 0.8,
    });
  });
});
