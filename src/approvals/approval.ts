/** A page origin the user allowed to have one account's token attached to its API calls. */
export interface Approval {
  accountId: string;
  /** Normalized origin: scheme://host[:port], no trailing slash. */
  origin: string;
  /** Epoch ms; when two approvals compete for one site, the later one wins. */
  approvedAt: number;
}
