// Entry point: language, router and the page table.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Frame, focusMain } from './components/Frame.jsx';
import { repairMangledLink } from './lib/fragment.js';
import { getLang, initialLang, onLangChange, setLang } from './lib/i18n.js';
import { LangContext } from './lib/page.js';
import { match, startRouter, usePathname } from './lib/router.js';
import { loadAccount } from './account/page/session.js';
import { restoreSession } from './account/page/client.js';
import { startPersist } from './account/page/persist.js';
import { startStackedTables } from './lib/stack.js';
import { useMailbox } from './lib/mailbox.js';
import { Account } from './pages/Account.jsx';
import { Compose } from './pages/Compose.jsx';
import { Contacts } from './pages/Contacts.jsx';
import { Dropoff } from './pages/Dropoff.jsx';
import { Forgot } from './pages/Forgot.jsx';
import { Home } from './pages/Home.jsx';
import { Login } from './pages/Login.jsx';
import { Manual } from './pages/Manual.jsx';
import { Mailbox, Mailboxes } from './pages/Mailboxes.jsx';
import { Message } from './pages/Message.jsx';
import { Register } from './pages/Register.jsx';
import { Request } from './pages/Request.jsx';
import { RequestUpload } from './pages/RequestUpload.jsx';
import { ReceivedList, SentList } from './pages/Lists.jsx';
import { Report } from './pages/Report.jsx';
import { Receive } from './pages/Receive.jsx';
import { Reset } from './pages/Reset.jsx';
import { Templates } from './pages/Templates.jsx';
import { Verify } from './pages/Verify.jsx';
import { NotFound } from './pages/NotFound.jsx';
import { placeholder } from './pages/Placeholder.jsx';
import { PATHS } from './paths.js';
import { AdminAccount, AdminAccounts } from './admin/Accounts.jsx';
import { AdminHome } from './admin/AdminFrame.jsx';
import { AdminAudit } from './admin/Audit.jsx';
import { AdminMailboxes } from './admin/Mailboxes.jsx';
import { AdminOrg, AdminOrgs } from './admin/Orgs.jsx';
import { AdminOverview } from './admin/Overview.jsx';

// Page name (as in paths.js) -> component. Pages not built yet get a placeholder.
const PAGES = {
  home: Home,
  login: Login,
  register: Register,
  verify: Verify,
  forgot: Forgot,
  reset: Reset,
  account: Account,
  compose: Compose,
  contacts: Contacts,
  templates: Templates,
  report: Message,
  sent: SentList,
  received: ReceivedList,
  messageReport: Report,
  receive: Receive,
  request: Request,
  requestUpload: RequestUpload,
  dropoff: Dropoff,
  mailboxes: Mailboxes,
  mailbox: Mailbox,
  manual: Manual,
  admin: AdminHome,
  adminOrgs: AdminOrgs,
  adminOrg: AdminOrg,
  adminAccounts: AdminAccounts,
  adminAccount: AdminAccount,
  adminMailboxes: AdminMailboxes,
  adminAudit: AdminAudit,
  adminOverview: AdminOverview,
};

const ROUTES = Object.entries(PATHS).map(([name, pattern]) => ({
  pattern,
  value: PAGES[name] ?? placeholder(name),
}));

function App() {
  const [lang, setLangState] = useState(getLang());
  const path = usePathname();
  const mailbox = useMailbox();
  const first = useRef(true);

  useEffect(() => onLangChange(setLangState), []);
  // After an in-app navigation, move focus to the new page's content, as a
  // full page load would put screen reader users at the top.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    focusMain();
  }, [path]);

  const found = match(ROUTES, path);
  const Page = found ? found.value : NotFound;
  return (
    <LangContext.Provider value={lang}>
      <Frame>
        {/* Acting for another mailbox is another set of data: start afresh. */}
        <Page key={mailbox?.id ?? 'self'} params={found?.params ?? {}} />
      </Frame>
    </LangContext.Provider>
  );
}

setLang(initialLang(), { remember: false });
repairMangledLink(); // before the router reads the path
startRouter();
startPersist();
loadAccount({ restore: restoreSession });
const root = document.getElementById('app');
root.textContent = '';
render(<App />, root);
startStackedTables();
