// A modal dialog on the native <dialog> element (showModal: the rest of the
// page is inert, Escape closes it), labelled by its heading; focus goes to
// the first field or button inside (or initialFocus) and back to whatever
// opened it when it closes. useConfirm() builds a yes/no question on it.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../lib/i18n.js';

export function Modal({ id, open, title, onClose, initialFocus, children, wide }) {
  const ref = useRef(null);
  const opener = useRef(null);
  // A layout effect: opening, closing and the move of focus happen in the
  // same commit that adds or removes the dialog's content, so nobody sees a
  // frame with the content gone and focus still inside (or on <body>).
  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      opener.current = document.activeElement;
      d.showModal();
      const first = initialFocus?.current ?? d.querySelector('input, select, textarea, button');
      first?.focus();
    } else if (!open && d.open) {
      // The close event comes a task later: give focus back now, so
      // nothing (a keyboard user, a screen reader) sees it on <body>.
      d.close();
      focusOpener();
    }
  }, [open]);
  const focusOpener = () => {
    const back = opener.current;
    opener.current = null;
    if (back?.isConnected) back.focus();
  };
  const onDialogClose = () => {
    if (open) onClose?.();
    focusOpener();
  };
  return (
    <dialog ref={ref} id={id} class={`st-dialog${wide ? ' st-dialog--wide' : ''}`} aria-labelledby={`${id}-title`} onClose={onDialogClose}>
      {open && (
        <div class="st-dialog__body">
          <h2 class="nl-heading nl-heading--level-2" id={`${id}-title`}>{title}</h2>
          {children}
        </div>
      )}
    </dialog>
  );
}

/**
 * [element, ask]: render element once; `await ask({ title, text, yes })`
 * resolves true when the user confirms, false on Annuleren or Escape.
 */
export function useConfirm(id = 'confirm') {
  const [q, setQ] = useState(null);
  const resolver = useRef(null);
  const yesRef = useRef(null);
  const answer = (v) => {
    const r = resolver.current;
    resolver.current = null;
    setQ(null);
    r?.(v);
  };
  const ask = (question) =>
    new Promise((resolve) => {
      resolver.current = resolve;
      setQ(question);
    });
  const element = (
    <Modal id={id} open={!!q} title={q?.title ?? ''} onClose={() => answer(false)} initialFocus={yesRef}>
      <p class="nl-paragraph" id={`${id}-text`}>{q?.text}</p>
      <div class="st-form__actions st-dialog__actions">
        <button type="button" ref={yesRef} class={`utrecht-button utrecht-button--${q?.danger ? 'primary-action utrecht-button--danger' : 'primary-action'}`} onClick={() => answer(true)}>
          {q?.yes}
        </button>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => answer(false)}>
          {t('book.cancel')}
        </button>
      </div>
    </Modal>
  );
  return [element, ask];
}
