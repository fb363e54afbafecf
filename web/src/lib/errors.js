// The catalogue text for an error from the API (ApiError) or the account
// key Worker (AccountKeyError). Users never see the server's own message.
import { t } from './i18n.js';

/** The catalogue text for an ApiError or AccountKeyError (SECURITY: no server text shown). */
export function errorText(err) {
  // Key-transparency failures (account/page/transparency.js) have codes of their own.
  const code = err?.name === 'TransparencyError' ? `kt_${err.code}` : err?.code;
  if (code === 'rate_limited') {
    const s = Number(err.retryAfter);
    if (Number.isFinite(s) && s > 0)
      return s < 120 ? t('error.rate_limited_seconds', { seconds: s }) : t('error.rate_limited_minutes', { minutes: Math.ceil(s / 60) });
    return t('error.rate_limited');
  }
  const key = `error.${code}`;
  const text = code ? t(key) : key;
  return text === key ? t('error.unknown') : text;
}
