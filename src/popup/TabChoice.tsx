import { browser } from '../platform';
import { useEffect, useState } from 'preact/hooks';
import type { Account } from '../accounts/account';
import { accountName } from '../accounts/account-provider';
import type { TabChoice } from '../approvals/tab-choice';
import type { Provider } from '../providers/model';
import { openNetworkHttpRefusal } from '../inject/site-scope';
import { request } from '../messages';
import { onTabChoicesChanged, readTabChoices } from '../storage/tab-choices';
import { accessRefusedMessage, requestSiteAccess } from '../ui/permissions';

/** What it takes from its account item's props. */
interface Props {
  account: Account;
  provider: Provider | undefined;
  /** The active tab's origin, when it is an http(s) page. */
  site: string | undefined;
  onNotice: (text: string) => void;
}

/**
 * **Use on this tab only** / **Stop using on this tab** for one account (README "Approved sites",
 * Tab identity): the account's token for the active tab's calls from its site, ahead of the
 * site's approvals, until the tab closes. Fetched after the popup paints; a refusal is named in
 * an alert under the button.
 */
export function TabChoiceButton({ account, provider, site, onNotice }: Props) {
  const { tabId, choices } = useActiveTabChoices();
  const [failure, setFailure] = useState<string>();
  if (tabId === undefined || site === undefined) return null;
  const accountId = account.id;
  const name = accountName(account, provider);
  const chosen = choices.find((c) => c.tabId === tabId && c.accountId === accountId);
  const toggle = async () => {
    setFailure(undefined);
    if (chosen) {
      const result = await request('stopUsingOnTab', { accountId, tabId: String(tabId) });
      return result.ok ? onNotice(`Stopped using ${name} on this tab.`) : setFailure(result.error);
    }
    // Before any prompt: a site that cannot have a token must not ask for access.
    const refusal = openNetworkHttpRefusal(site);
    if (refusal !== undefined) return setFailure(`${refusal} Nothing was changed.`);
    // First thing in the click: Firefox only prompts from the user's action itself.
    if (!(await requestSiteAccess([site, ...(provider?.apiBaseUrls ?? [])]))) return setFailure(accessRefusedMessage(site));
    const result = await request('useOnTab', { accountId, tabId: String(tabId), origin: site });
    return result.ok ? onNotice(`Using ${name} on this tab only, for calls from ${result.value.origin}.`) : setFailure(result.error);
  };
  return (
    <>
      <button type="button" title={chosen?.origin ?? site} onClick={() => void toggle()}>
        {chosen ? 'Stop using on this tab' : 'Use on this tab only'}
      </button>
      {failure !== undefined && (
        <p role="alert" class="problem">
          {failure}
        </p>
      )}
    </>
  );
}

interface ActiveTabChoices {
  /** The active tab of the popup's window; undefined until read. */
  tabId: number | undefined;
  choices: TabChoice[];
}

// One reading for every account's button: a popup with 200 accounts asks the browser once.
let shared: ActiveTabChoices = { tabId: undefined, choices: [] };
const subscribers = new Set<(value: ActiveTabChoices) => void>();
let following = false;

function publish(change: Partial<ActiveTabChoices>): void {
  shared = { ...shared, ...change };
  for (const subscriber of subscribers) subscriber(shared);
}

/** Reads the active tab and the choices once, then follows both while the popup is open. */
function follow(): void {
  if (following) return;
  following = true;
  const readTab = () => void browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => publish({ tabId: tab?.id }));
  readTab();
  browser.tabs.onActivated.addListener(readTab);
  void readTabChoices().then((choices) => publish({ choices }));
  onTabChoicesChanged((choices) => publish({ choices }));
}

function useActiveTabChoices(): ActiveTabChoices {
  const [value, setValue] = useState(shared);
  useEffect(() => {
    follow();
    subscribers.add(setValue);
    setValue(shared);
    return () => void subscribers.delete(setValue);
  }, []);
  return value;
}
