// An OAuth client, as an MCP client runs it against Tasko (discovery, dynamic registration,
// PKCE S256, the code exchange), for the specs that drive the consent page. Endpoints are
// read from the server's metadata (RFC 9728, then RFC 8414), never assumed.
import { expect, Page, APIRequestContext } from '@playwright/test';
import { createHash, randomBytes } from 'node:crypto';

export interface OAuthClient {
  clientId: string;
  redirectUri: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** The resource tokens are bound to: `<PUBLIC_URL>/mcp`. */
  resource: string;
}

export interface Authorization {
  url: string;
  state: string;
  verifier: string;
}

/** Finds the authorization server through `/mcp`'s metadata and registers a client there. */
export async function registerClient(
  request: APIRequestContext,
  serverUrl: string,
  clientName: string,
  redirectUri: string,
): Promise<OAuthClient> {
  const resourceMeta = await (await request.get(`${serverUrl}/.well-known/oauth-protected-resource`)).json();
  const issuer: string = resourceMeta.authorization_servers[0];
  const meta = await (await request.get(`${issuer}/.well-known/oauth-authorization-server`)).json();
  expect(meta.code_challenge_methods_supported).toContain('S256');
  const registered = await request.post(meta.registration_endpoint, {
    data: {
      client_name: clientName,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
  });
  expect(registered.status()).toBe(201);
  return {
    clientId: (await registered.json()).client_id,
    redirectUri,
    authorizationEndpoint: meta.authorization_endpoint,
    tokenEndpoint: meta.token_endpoint,
    resource: resourceMeta.resource,
  };
}

/** An authorization request's URL (what the client opens in the browser) and its secrets. */
export function authorization(client: OAuthClient, scope: 'todos:read' | 'todos:write'): Authorization {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(12).toString('base64url');
  const url = new URL(client.authorizationEndpoint);
  const params = {
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
    scope,
    resource: client.resource,
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return { url: url.toString(), state, verifier };
}

/**
 * Answers the client's redirect URI inside the browser (nothing listens there), and resolves
 * with the URL the consent page sent the browser to, once the browser shows it (so the next
 * navigation cannot race it).
 */
export function catchRedirect(page: Page, redirectUri: string): Promise<URL> {
  const caught = new Promise<URL>((resolve) => {
    void page.route(`${redirectUri}**`, async (route) => {
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Back in the app</title>' });
      resolve(new URL(route.request().url()));
    });
  });
  return caught.then(async (url) => {
    await page.waitForURL(`${redirectUri}**`);
    return url;
  });
}

/** The code exchange (PKCE): the access token. */
export async function exchange(
  request: APIRequestContext,
  client: OAuthClient,
  code: string,
  verifier: string,
): Promise<string> {
  const answer = await request.post(client.tokenEndpoint, {
    form: {
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirectUri,
      client_id: client.clientId,
      code_verifier: verifier,
      resource: client.resource,
    },
  });
  const body = await answer.json();
  expect(answer.status(), JSON.stringify(body)).toBe(200);
  expect(body.token_type.toLowerCase()).toBe('bearer');
  return body.access_token;
}

/** One `tools/call` on `/mcp` with a Bearer token: the HTTP status and the JSON answer. */
export async function callTool(
  request: APIRequestContext,
  serverUrl: string,
  token: string,
  name: string,
  args: Record<string, unknown>,
): Promise<{ status: number; body: any }> {
  const answer = await request.post(`${serverUrl}/mcp`, {
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2025-11-25',
    },
    data: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
  });
  const text = await answer.text();
  return { status: answer.status(), body: text ? JSON.parse(text) : null };
}
