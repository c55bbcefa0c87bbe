import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';

/** Pixels drawn above and below the visible part, so a quick scroll does not show blanks. */
const OVERSCAN = 600;

/** Where each row starts: offsets[i] is row i's top, offsets[count] the height of all. */
export function useOffsets(count: number, heightOf: (i: number) => number, deps: unknown[]) {
  return useMemo(() => {
    const offsets = new Float64Array(count + 1);
    for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i]! + heightOf(i);
    return offsets;
  }, deps);
}

/** The first row whose bottom is below `y`. */
export function rowAt(offsets: Float64Array, y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1]! <= y) lo = mid + 1;
    else hi = mid;
  }
  return Math.max(0, lo);
}

/** The rows of a scrolling box that are on screen (and a little around), kept up to date while it scrolls. */
export function useVisibleRange(
  box: RefObject<HTMLElement | null>,
  offsets: Float64Array,
): { first: number; last: number; top: number; height: number } {
  const [view, setView] = useState({ top: 0, height: 800 });
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      setView((v) =>
        v.top === el.scrollTop && v.height === el.clientHeight
          ? v
          : { top: el.scrollTop, height: el.clientHeight },
      );
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    read();
    el.addEventListener('scroll', onScroll, { passive: true });
    const resize = new ResizeObserver(onScroll);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [box.current]);
  const count = offsets.length - 1;
  if (count <= 0) return { first: 0, last: -1, ...view };
  const first = rowAt(offsets, Math.max(0, view.top - OVERSCAN));
  const last = Math.min(count - 1, rowAt(offsets, view.top + view.height + OVERSCAN));
  return { first, last, ...view };
}

/** The width of an element, followed as the window changes. */
export function useWidth(el: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    if (!el.current) return;
    setWidth(el.current.clientWidth);
    const resize = new ResizeObserver(() => setWidth(el.current?.clientWidth ?? 0));
    resize.observe(el.current);
    return () => resize.disconnect();
  }, [el.current]);
  return width;
}

/**
 * A long list of which only the rows on screen are in the page: rows of known heights, placed absolutely
 * inside a box as tall as all of them. `scrollTo` (a row number) moves there when it changes.
 */
export function VirtualRows({
  count,
  heightOf,
  deps,
  render,
  class: className,
  label,
  scrollTo,
  onKeyDown,
  boxRef,
}: {
  count: number;
  heightOf: (i: number) => number;
  deps: unknown[];
  render: (i: number) => ComponentChildren;
  class?: string;
  label?: string;
  scrollTo?: { row: number; seq: number } | null;
  onKeyDown?: (e: KeyboardEvent) => void;
  boxRef?: RefObject<HTMLDivElement | null>;
}) {
  const own = useRef<HTMLDivElement>(null);
  const box = boxRef ?? own;
  const offsets = useOffsets(count, heightOf, [count, ...deps]);
  const { first, last } = useVisibleRange(box, offsets);
  useEffect(() => {
    if (scrollTo && box.current) box.current.scrollTop = offsets[scrollTo.row] ?? 0;
  }, [scrollTo?.seq]);
  const rows = [];
  for (let i = first; i <= last; i++)
    rows.push(
      <div
        class="vrow"
        key={i}
        style={{ top: `${offsets[i]}px`, height: `${offsets[i + 1]! - offsets[i]!}px` }}
      >
        {render(i)}
      </div>,
    );
  return (
    <div
      class={`vbox ${className ?? ''}`}
      ref={box}
      role="list"
      aria-label={label}
      onKeyDown={onKeyDown}
    >
      <div class="vspace" style={{ height: `${offsets[count]}px` }}>
        {rows}
      </div>
    </div>
  );
}
