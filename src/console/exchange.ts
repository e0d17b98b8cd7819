/** A request as the console's form holds it. */
export interface ConsoleRequest {
  accountId: string;
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

/** What came back, as the Response view shows it. */
export interface ConsoleResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  timeMs: number;
  size: number;
  contentType: string;
  url: string;
}
