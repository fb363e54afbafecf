// The manual (/handleiding): for employees and for recipients outside
// government. Its text is web/manual/<lang>.md, rendered at build time
// (web/manual/render.mjs) into a data tree that loads as its own chunk, so
// other pages do not carry it. Rendered with h(): no HTML string, no
// innerHTML. Works without logging in. A #fragment (the receive page links
// #ontvangers) is scrolled to once the text is there.
import { h } from 'preact';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { t } from '../lib/i18n.js';
import { useLang, useTitle } from '../lib/page.js';

const LOAD = {
  nl: () => import('manual:nl'),
  en: () => import('manual:en'),
};

/** The anchor of the recipients' part (the same id in every language). */
export const RECIPIENT_ANCHOR = 'ontvangers';

function node(n, i) {
  if (typeof n === 'string') return n;
  const [tag, attrs, children] = n;
  return h(tag, { ...attrs, key: i }, children.length ? children.map(node) : undefined);
}

function Toc({ headings }) {
  const items = [];
  for (const hd of headings) {
    if (hd.level === 2) items.push({ ...hd, sub: [] });
    else if (hd.level === 3 && items.length) items.at(-1).sub.push(hd);
  }
  return (
    <nav class="st-manual__toc" aria-labelledby="manual-toc">
      <h2 class="nl-heading nl-heading--level-2" id="manual-toc">
        {t('manual.toc')}
      </h2>
      <ol class="utrecht-ordered-list">
        {items.map((it) => (
          <li class="utrecht-ordered-list__item" key={it.id}>
            <a class="nl-link" href={`#${it.id}`}>
              {it.text}
            </a>
            {it.sub.length > 0 && (
              <ol class="utrecht-ordered-list">
                {it.sub.map((s) => (
                  <li class="utrecht-ordered-list__item" key={s.id}>
                    <a class="nl-link" href={`#${s.id}`}>
                      {s.text}
                    </a>
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function Manual() {
  const lang = useLang();
  useTitle('page.manual');
  const [doc, setDoc] = useState(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    setFailed(false);
    (LOAD[lang] ?? LOAD.nl)()
      .then((m) => live && setDoc(m))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [lang]);

  // A link to a part of the manual from another page: go there once the
  // text is in place, and put the keyboard focus on that heading.
  useLayoutEffect(() => {
    if (!doc || !location.hash) return;
    let id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch {
      return;
    }
    const el = document.getElementById(id);
    if (!el) return;
    el.setAttribute('tabindex', '-1');
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: 'start' });
  }, [doc]);

  return (
    <article class="st-page st-manual">
      <h1 class="nl-heading nl-heading--level-1">{t('page.manual')}</h1>
      {failed && (
        <p class="nl-paragraph" role="alert">
          {t('manual.failed')}
        </p>
      )}
      {doc && <Toc headings={doc.headings} />}
      {doc && <div class="st-manual__body">{doc.tree.map(node)}</div>}
    </article>
  );
}
