import type { Locator, Page } from 'playwright-core';

/** Drags with real mouse events: press on `from`, move in steps, release over `to`. */
export async function drag(page: Page, from: Locator, to: { x: number; y: number }): Promise<void> {
  const box = await from.boundingBox();
  if (!box) throw new Error('nothing to drag');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

export async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags a step from the palette onto the canvas and returns its card. */
export async function dropStep(page: Page, type: string, at: { x: number; y: number }): Promise<Locator> {
  await drag(page, page.getByTestId(`palette-${type}`), at);
  const node = page.getByTestId(`node-${type}`);
  await node.waitFor();
  return node;
}

/** Connects the first output of one card to the first input of another. */
export async function connect(page: Page, from: Locator, to: Locator): Promise<void> {
  await drag(
    page,
    from.locator('.react-flow__handle-right').first(),
    await centreOf(to.locator('.react-flow__handle-left').first()),
  );
}

/** A point on the canvas, as fractions of its width and height. */
export async function canvasPoint(page: Page): Promise<(x: number, y: number) => { x: number; y: number }> {
  const canvas = await page.locator('.react-flow__pane').boundingBox();
  if (!canvas) throw new Error('no canvas');
  return (x, y) => ({ x: canvas.x + canvas.width * x, y: canvas.y + canvas.height * y });
}
