import type { Account } from '../accounts/account';
import type { Approval } from '../approvals/approval';
import type { Provider } from '../providers/model';

/** Everything TokenTap keeps across browser restarts: the one source of truth. */
export interface StoredState {
  providers: Provider[];
  accounts: Account[];
  approvals: Approval[];
}
