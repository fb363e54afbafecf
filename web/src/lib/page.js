// Small hooks every page uses.
import { createContext } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import { DEFAULT_LANG, t } from './i18n.js';

/** The current language; App provides it so a switch re-renders every page. */
export const LangContext = createContext(DEFAULT_LANG);

export function useLang() {
  return useContext(LangContext);
}

/** Sets document.title to "<page> – SecureTransfer" for catalogue key `key`. */
export function useTitle(key, params) {
  const lang = useLang();
  const page = t(key, params);
  useEffect(() => {
    document.title = t('title.format', { page });
  }, [page, lang]);
}
