// What a recipient pastes or types on the link page when the link they
// opened has no secret (strict delivery: the server's mail carries only
// /r/<id>; SECURITY.md §1.6): the whole link the sender sent (its '#' also
// as %23 or %2523, as mail gateways rewrite it), S itself, or the 24 code
// words the sender read out. Nothing of it is sent anywhere: the page
// derives link_auth from S in the download Worker.
import { b64uEncode } from '../crypto/b64u.js';
import { CodeWordsError, secretFromWords } from '../crypto/codewords.js';

const LINK = /\/r\/([A-Za-z0-9_-]{22})(?:#|%23|%2523)([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/i;
const LINK_NO_SECRET = /\/r\/([A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export class LinkInputError extends Error {
  /** code: 'empty', 'other_message', 'no_secret', or a CodeWordsError's code (with its details). */
  constructor(code, details = {}) {
    super(code);
    this.name = 'LinkInputError';
    this.code = code;
    Object.assign(this, details);
  }
}

/** S as base64url (43 characters) from the input, for message msgId; throws LinkInputError. */
export function secretFromInput(input, msgId) {
  const s = String(input || '').trim();
  if (!s) throw new LinkInputError('empty');
  const link = LINK.exec(s);
  if (link) {
    if (link[1] !== msgId) throw new LinkInputError('other_message');
    return link[2];
  }
  const bare = LINK_NO_SECRET.exec(s);
  if (bare) throw new LinkInputError(bare[1] === msgId ? 'no_secret' : 'other_message');
  const compact = s.replace(/\s+/g, '');
  if (SECRET.test(compact)) return compact;
  try {
    return b64uEncode(secretFromWords(s));
  } catch (e) {
    if (e instanceof CodeWordsError) throw new LinkInputError(e.code, { word: e.word, position: e.position, count: e.count });
    throw e;
  }
}
