import type { Locator } from 'playwright-core';

/** How many lines of text an element takes, from its content height and its line height. */
export function linesOf(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    const style = getComputedStyle(element);
    const edges = [style.paddingTop, style.paddingBottom, style.borderTopWidth, style.borderBottomWidth];
    const content = edges.reduce(
      (height, edge) => height - (Number.parseFloat(edge) || 0),
      element.getBoundingClientRect().height,
    );
    return Math.round(content / Number.parseFloat(style.lineHeight));
  });
}

/** Whether an element's text is cut off at its right edge (it needs more width than it has). */
export function isClipped(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element.scrollWidth > element.clientWidth);
}

/** The bottom edge of an element on the page, in CSS pixels. */
export async function bottomOf(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('the element is not visible');
  return box.y + box.height;
}
