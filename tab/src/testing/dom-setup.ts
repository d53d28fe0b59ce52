import 'global-jsdom/register';

// Node has its own Event classes; global-jsdom leaves them in place, but jsdom's nodes accept
// only jsdom's events (Fluent's focus tracking dispatches CustomEvents).
const scope = globalThis as unknown as Record<string, unknown>;
const dom = window as unknown as Record<string, unknown>;
for (const name of ['Event', 'CustomEvent', 'EventTarget', 'MessageEvent']) scope[name] = dom[name];

// jsdom does no layout, so nothing ever resizes: Fluent's MessageBar only needs the constructor.
class NoLayoutResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
scope.ResizeObserver = NoLayoutResizeObserver;
dom.ResizeObserver = NoLayoutResizeObserver;

// findBy… and waitFor wait for what the page does, not for a time: on a loaded machine a
// Fluent dialog can take well over testing-library's default second to render and be
// found by role in jsdom. The ceiling only matters when the awaited thing never comes.
const { configure } = await import('@testing-library/dom');
configure({ asyncUtilTimeout: 15_000 });

// jsdom draws nothing: the charts measure their labels' text with a canvas when they can,
// and estimate it without one (null is what a browser gives for an unknown context).
Object.defineProperty(window.HTMLCanvasElement.prototype, 'getContext', { value: () => null });
// Nor does it measure SVG text: the charts wrap and shorten axis labels by their length.
const svg = window.SVGElement.prototype as unknown as Record<string, unknown>;
svg.getComputedTextLength = () => 0;
svg.getBBox = () => ({ x: 0, y: 0, width: 0, height: 0 });
// Without a size the charts place their bars at NaN, and React warns of each attribute.
const warn = console.error.bind(console);
console.error = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('Warning: Received NaN for the `')) return;
  warn(...args);
};
