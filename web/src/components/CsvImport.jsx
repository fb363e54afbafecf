// Import and export of the address book as CSV (C1). An import is all or
// nothing; when the server refuses it, the bad rows are listed by line.
import { useRef, useState } from 'preact/hooks';
import { importCsv } from '../book/api.js';
import { errorText } from '../lib/errors.js';
import { t, tn } from '../lib/i18n.js';
import { Alert, SubmitButton } from './Form.jsx';

const MAX = 1 << 20;

/** "Regel 4: ongeldig e-mailadres" for one bad row of the server's answer. */
function lineText(l) {
  const key = `csv.${l.code}`;
  const text = t(key);
  return t('csv.line', { line: l.line, text: text === key ? t('csv.bad_csv_row') : text });
}

export function CsvImport({ exportHref, onImported }) {
  const [file, setFile] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null); // { text, lines, more }
  const [fieldError, setFieldError] = useState('');
  const input = useRef(null);
  const errorRef = useRef(null);

  const onSubmit = async (event) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    if (!file) {
      setFieldError(t('csv.choose'));
      input.current?.focus();
      return;
    }
    if (file.size > MAX) {
      setFieldError(t('csv.too_large'));
      input.current?.focus();
      return;
    }
    setFieldError('');
    setBusy(true);
    try {
      const r = await importCsv(file);
      onImported(tn('csv.imported', r.imported, r));
      setFile(null);
      if (input.current) input.current.value = '';
    } catch (err) {
      const d = err?.details;
      if (err?.code === 'bad_csv' && Array.isArray(d?.lines))
        setError({ text: t('csv.failed'), lines: d.lines.map(lineText), more: Math.max(0, (d.bad_rows ?? 0) - d.lines.length) });
      else setError({ text: errorText(err), lines: [], more: 0 });
      requestAnimationFrame(() => errorRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="st-section" aria-labelledby="csv-title">
      <h2 class="nl-heading nl-heading--level-2" id="csv-title">{t('csv.title')}</h2>
      <p class="nl-paragraph">{t('csv.intro')}</p>
      <form class="st-form" onSubmit={onSubmit} noValidate>
        <div class={`utrecht-form-field utrecht-form-field--text${fieldError ? ' utrecht-form-field--invalid' : ''}`}>
          <p class="utrecht-form-label st-csv-label" id="csv-file-label">{t('csv.file')}</p>
          {fieldError && <div class="utrecht-form-field__error-message utrecht-form-field-error-message" id="csv-file-error">{fieldError}</div>}
          {/* The browser's own file button says "Choose File" in the
              browser's language: a Dutch button instead (issue 25 item 6),
              on a visually hidden but focusable input. */}
          <div class="utrecht-form-field__input st-csv-pick">
            <input id="csv-file" ref={input} type="file" accept=".csv,text/csv" class="st-file-input" aria-invalid={fieldError ? 'true' : undefined}
              aria-describedby={['csv-file-chosen', fieldError && 'csv-file-error'].filter(Boolean).join(' ')}
              onChange={(e) => { setFile(e.currentTarget.files?.[0] ?? null); setFieldError(''); }} />
            <label for="csv-file" class="utrecht-button utrecht-button--secondary-action st-file-button">{t('csv.pick')}</label>
            <span class="st-csv-chosen" id="csv-file-chosen" data-testid="csv-chosen">{file ? file.name : t('csv.none_chosen')}</span>
          </div>
        </div>
        {error && (
          <div ref={errorRef} tabIndex={-1} class="st-failure">
            <Alert type="error" role="alert" title={error.text}>
              {error.lines.length > 0 && (
                <ul class="utrecht-unordered-list st-csv-errors">
                  {error.lines.map((l) => <li key={l}>{l}</li>)}
                </ul>
              )}
              {error.more > 0 && <p class="nl-paragraph">{tn('csv.more', error.more)}</p>}
            </Alert>
          </div>
        )}
        <div class="st-form__actions">
          <SubmitButton busy={busy} kind="secondary-action">{t('csv.import')}</SubmitButton>
          <a class="nl-link" href={exportHref} download="adresboek.csv">{t('csv.export')}</a>
        </div>
      </form>
    </section>
  );
}
