import { useEffect, useRef } from 'react';

export type ShortcutMap = Record<string, (e: KeyboardEvent) => void>;

const typing = (t: EventTarget | null) => {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || (el.tagName === 'INPUT' && (el as HTMLInputElement).type !== 'radio') || el.isContentEditable;
};

/**
 * Single-key shortcuts, ignored while the reviewer types in a field (so a note can contain "c").
 * Keys in `always` (e.g. Enter, Escape) still fire from fields.
 */
export function useShortcuts(map: ShortcutMap, always: readonly string[] = ['Escape']) {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      const fn = ref.current[key] ?? ref.current[e.key];
      if (!fn) return;
      if (typing(e.target) && !always.includes(e.key)) return;
      fn(e);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
}
