// The gate of every page behind login: "Laden…" while the session is
// looked up, the unlock form when the keys are locked, a redirect to
// /inloggen (with the way back) when nobody is logged in.
import { useEffect } from 'preact/hooks';
import { useAccount } from '../account/page/session.js';
import { navigate } from '../lib/router.js';
import { loginPathFor } from '../lib/returnto.js';
import { Unlock } from '../pages/Unlock.jsx';
import { Loading } from './Loading.jsx';

/** Pages behind login: Loading, Unlock, or a redirect to /inloggen. */
export function RequireLogin({ children }) {
  const account = useAccount();
  const anonymous = account.status === 'anonymous';
  useEffect(() => {
    if (anonymous) navigate(loginPathFor(location), { replace: true });
  }, [anonymous]);
  return account.status === 'locked' ? (
    <Unlock user={account.user} />
  ) : account.status === 'unlocked' ? (
    children(account)
  ) : (
    <Loading />
  );
}
