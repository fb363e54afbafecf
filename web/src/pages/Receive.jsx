// "/r/:id#<S>": the link page of a recipient without an account (R1, R2;
// docs/receive.md). S is taken from the fragment and dropped from the
// address bar at once; it goes to the download Worker, which answers only
// link_auth. Then: the sender, expiry and masked mobile number; "Verstuur
// code"; the 6-digit code; and the receive view. GET of this page changes
// nothing: the first state-changing request is the POST …/open.
// Without S (strict delivery: the server's mail names only /r/<id>, and the
// sender delivers the link or reads out the code words) the page asks for
// the link or the words (receive/linkinput.js); a wrong one is refused with
// the same words whether or not the message exists.
import { useEffect, useState } from 'preact/hooks';
import { Status } from '../components/Form.jsx';
import { Received } from '../components/Received.jsx';
import { CodeGate, KeyForm, ManualLink, ReceivePage, Stop } from '../components/ReceiveSteps.jsx';
import { TrustedSender } from '../components/KeyChange.jsx';
import { takeFragment } from '../lib/fragment.js';
import { t } from '../lib/i18n.js';
import { useTitle } from '../lib/page.js';
import { ReceiveWorker } from '../receive/client.js';
import { useLinkFlow } from '../receive/flow.js';

const enc = encodeURIComponent;

export function Receive({ params }) {
  useTitle('page.receive');
  const id = params.id;
  const [S] = useState(() => takeFragment()); // read once, gone from the URL
  const [worker] = useState(() => new ReceiveWorker());
  useEffect(() => () => worker.terminate(), [worker]);
  const flow = useLinkFlow(id, S, worker);
  const { step } = flow;

  switch (step.kind) {
    case 'invalid':
    case 'expired':
    case 'revoked':
    case 'locked':
      return <Stop kind={step.kind} headingRef={flow.headingRef} />;
    case 'view': {
      const doc = step.doc;
      const urls = {};
      for (const f of doc.files) urls[f.index] = `/api/v1/r/${enc(id)}/files/${enc(f.id)}`;
      return (
        <article class="st-page st-page--wide">
          <TrustedSender sender={doc.sender}>
            <Received
              msgId={id}
              doc={doc}
              worker={worker}
              urls={urls}
              expect={{ sign_pk: doc.sender?.ed25519_pk, sender_email: doc.sender?.email, recipient_key_id: 'link' }}
            />
          </TrustedSender>
          <ManualLink />
        </article>
      );
    }
    case 'nokey':
      return <KeyForm flow={flow} />;
    case 'gate':
      return <CodeGate flow={flow} />;
    default:
      return (
        <ReceivePage title={t('page.receive')} headingRef={flow.headingRef}>
          <Status busy={flow.busy || t('receive.checking')} error={flow.error} />
        </ReceivePage>
      );
  }
}
