import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** The request function and keep-alive agent for InfluxDB's URL (http or https). */
export interface KeepAliveTransport {
  readonly agent: HttpAgent;
  readonly request: typeof httpRequest;
}

/** A keep-alive transport to `url` with at most 8 sockets, as the writer and reader use. */
export function keepAliveTransport(url: string): KeepAliveTransport {
  return url.startsWith('https:')
    ? { agent: new HttpsAgent({ keepAlive: true, maxSockets: 8 }), request: httpsRequest }
    : { agent: new HttpAgent({ keepAlive: true, maxSockets: 8 }), request: httpRequest };
}
