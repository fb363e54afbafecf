// The "Documenten" part of the compose form (S2, S3): "Document toevoegen"
// (a multi-select file input that looks like a button and works with the
// keyboard), dropping files onto the page, the list of added files with name
// (bidi and control characters shown escaped), size and "Verwijderen".
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { t, tn } from '../lib/i18n.js';
import { useLang } from '../lib/page.js';
import { displayName, extensionAllowed, sanitizeName } from '../lib/filenames.js';
import { formatSize } from '../lib/format.js';

let nextKey = 0;

/**
 * Splits picked or dropped files into accepted entries {key, file, name} and
 * refusals [{name, reason}] ('extension' or 'duplicate').
 */
export function acceptFiles(list, allowed, existing) {
  const added = [], refused = [];
  const seen = new Set(existing.map((f) => f.name.toLowerCase()));
  for (const file of list) {
    const name = sanitizeName(file.name);
    if (!extensionAllowed(name, allowed)) refused.push({ name, reason: 'extension' });
    else if (seen.has(name.toLowerCase())) refused.push({ name, reason: 'duplicate' });
    else {
      seen.add(name.toLowerCase());
      added.push({ key: ++nextKey, file, name });
    }
  }
  return { added, refused };
}

function refusalText(refused) {
  return refused.map((r) => t(r.reason === 'extension' ? 'compose.refused_extension' : 'compose.refused_duplicate', { name: displayName(r.name) })).join(' ');
}

/**
 * The state of a Documents list: the files, the refusal of the last add (a
 * field error), and the polite notice of what was added or removed.
 * allowed is null while the list of extensions is still on its way: files
 * picked or dropped then wait for it instead of being refused.
 */
export function useDocuments(allowed) {
  const [files, setFiles] = useState([]);
  const [error, setError] = useState(undefined);
  const [notice, setNotice] = useState('');
  const early = useRef([]);
  const onAdd = useCallback((list) => {
    if (allowed === null) {
      early.current.push(...list);
      return;
    }
    setFiles((cur) => {
      const { added, refused } = acceptFiles(list, allowed, cur);
      setError(refused.length ? refusalText(refused) : undefined);
      setNotice(added.length ? tn('compose.added', added.length) : '');
      return [...cur, ...added];
    });
  }, [allowed]);
  useEffect(() => {
    if (allowed === null || !early.current.length) return;
    const list = early.current;
    early.current = [];
    onAdd(list);
  }, [allowed, onAdd]);
  const onRemove = (i) => {
    setFiles((cur) => {
      setNotice(t('compose.removed', { name: displayName(cur[i].name) }));
      return cur.filter((_, k) => k !== i);
    });
  };
  return { files, error, setError, notice, onAdd, onRemove };
}

/** Files dropped anywhere on the page are added; the browser must not open them. */
function useDropOnPage(onFiles, enabled) {
  useEffect(() => {
    if (!enabled) return undefined;
    const over = (e) => {
      if (!e.dataTransfer || ![...e.dataTransfer.types].includes('Files')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      document.body.classList.add('st-dragging');
    };
    const leave = (e) => {
      if (!e.relatedTarget) document.body.classList.remove('st-dragging');
    };
    const drop = (e) => {
      document.body.classList.remove('st-dragging');
      if (!e.dataTransfer?.files?.length) return;
      e.preventDefault();
      onFiles([...e.dataTransfer.files]);
    };
    document.addEventListener('dragover', over);
    document.addEventListener('dragleave', leave);
    document.addEventListener('drop', drop);
    return () => {
      document.removeEventListener('dragover', over);
      document.removeEventListener('dragleave', leave);
      document.removeEventListener('drop', drop);
      document.body.classList.remove('st-dragging');
    };
  }, [onFiles, enabled]);
}

export function Documents({ files, allowed, onAdd, onRemove, error, notice, disabled, inputRef }) {
  const lang = useLang();
  const list = useRef(null);
  useDropOnPage(onAdd, !disabled);
  const remove = (i) => {
    onRemove(i);
    // Focus stays in the list: the next file's button, else "Document toevoegen".
    requestAnimationFrame(() => {
      const buttons = list.current?.querySelectorAll('button') ?? [];
      (buttons[Math.min(i, buttons.length - 1)] ?? inputRef.current)?.focus();
    });
  };
  const describedBy = ['files-hint', 'files-ext', error && 'files-error'].filter(Boolean).join(' ');
  return (
    <fieldset class="st-fieldset st-documents" aria-describedby="files-hint">
      <legend class="nl-heading nl-heading--level-2">{t('compose.documents')}</legend>
      <p class="nl-paragraph" id="files-hint">{t('compose.documents_hint')}</p>
      <p class="nl-paragraph st-small" id="files-ext">{t('compose.extensions', { list: (allowed ?? []).join(', ') })}</p>
      <div class={`st-dropzone${error ? ' st-dropzone--invalid' : ''}`}>
        <input
          ref={inputRef}
          id="files"
          type="file"
          multiple
          class="st-file-input"
          aria-describedby={describedBy}
          aria-invalid={error ? 'true' : undefined}
          disabled={disabled}
          onChange={(e) => {
            const picked = [...e.currentTarget.files];
            e.currentTarget.value = '';
            if (picked.length) onAdd(picked);
          }}
        />
        <label for="files" class="utrecht-button utrecht-button--secondary-action st-file-button">
          {t('compose.add')}
        </label>
        <span class="st-dropzone__text" aria-hidden="true">{t('compose.drop')}</span>
      </div>
      <div class="st-status" role="status" aria-live="polite">
        {error && (
          <div class="utrecht-form-field-error-message" id="files-error">
            {error}
          </div>
        )}
        {notice && <p class="nl-paragraph">{notice}</p>}
      </div>
      {files.length > 0 && (
        <ul class="st-files" ref={list} aria-label={t('compose.file_list')}>
          {files.map((f, i) => (
            <li class="st-files__item" key={f.key}>
              <span class="st-files__name" translate="no">{displayName(f.name)}</span>
              <span class="st-files__size">{formatSize(f.file.size, lang)}</span>
              <button type="button" class="utrecht-button utrecht-button--subtle st-files__remove" disabled={disabled} onClick={() => remove(i)}>
                {t('compose.remove')}
                <span class="rhc-visually-hidden"> {displayName(f.name)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
