// Local OpenID providers of the universities, for the SSO tests and the demo (`make idp`).
//
// One node process serves one oidc-provider instance per university, each its own issuer
// mounted under its own path: http://HOST:PORT/<code> (e.g. /hkust, /hku). Sign-in goes
// through oidc-provider's own development login and consent pages (devInteractions): any
// password is accepted; the login names an account of the accounts file.
//
//   node server.mjs --config demo/config.json [--port 5556] [--list] [--exit-with-stdin]
//
// --list prints the accounts of each university; --exit-with-stdin stops the server when
// its standard input closes (a test harness that dies takes the IdP with it).
//
// The config file (JSON; relative paths are relative to it):
//   host, port             where to listen (port 0 = a free port)
//   accounts               JSON file: account id (the subject, `sub`) -> its claims. It is
//                          read again at each sign-in, so claims may change between two.
//                          "universities": [codes] limits where an account exists;
//                          "userinfo_only": [claims] keeps those out of the ID token.
//   keys, kid              signing keys: a JWKS file, made (with RSA keys under `kid`) when
//                          missing; no `keys` means fresh keys in memory at each start
//   ttl                    seconds per artifact: AuthorizationCode, IdToken, AccessToken,
//                          Interaction, Session, Grant
//   universities           [{code, name, client_id, client_secret, redirect_uris,
//                            userinfo_only}]: userinfo_only (claim names) applies to every
//                          account signing in at that university
//
// When listening it prints one line: READY {"<code>": "<issuer>", ...}.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, resolve } from 'node:path';
import * as querystring from 'node:querystring';
import { parseArgs } from 'node:util';

import * as jose from 'jose';
import Provider from 'oidc-provider';

// Claims the IdPs release with the `profile` scope, beside the standard ones: the app asks
// for "openid email profile" by default, and each connection says which claim means what.
const PROFILE_CLAIMS = [
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'student_number',
  'faculty',
  'department',
  'eduPersonAffiliation',
  'affiliation',
  'foundry_role',
  'study_level',
  'graduation_year',
];

const DEFAULT_TTL = {
  AuthorizationCode: 60,
  IdToken: 300,
  AccessToken: 300,
  Interaction: 600,
  Session: 600,
  Grant: 600,
};

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function loadConfig() {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: process.env.IDP_CONFIG || 'demo/config.json' },
      port: { type: 'string', default: process.env.IDP_PORT },
      host: { type: 'string', default: process.env.IDP_HOST },
      list: { type: 'boolean', default: false },
      'exit-with-stdin': { type: 'boolean', default: false },
    },
  });
  const configPath = resolve(values.config);
  const base = dirname(configPath);
  const config = readJson(configPath);
  const settings = {
    host: values.host || config.host || '127.0.0.1',
    port: Number(values.port ?? config.port ?? 0),
    accountsPath: resolve(base, config.accounts || 'accounts.json'),
    keysPath: config.keys ? resolve(base, config.keys) : null,
    kid: config.kid || 'foundry-idp',
    ttl: { ...DEFAULT_TTL, ...(config.ttl || {}) },
    universities: config.universities || [],
  };
  return { config: settings, values };
}

// --- signing keys -------------------------------------------------------------------------

async function newJwks(kid) {
  const { privateKey } = await jose.generateKeyPair('RS256', {
    modulusLength: 2048,
    extractable: true,
  });
  const jwk = await jose.exportJWK(privateKey);
  return { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] };
}

async function signingKeys(config) {
  if (config.keysPath && existsSync(config.keysPath)) {
    return readJson(config.keysPath);
  }
  const jwks = await newJwks(config.kid);
  if (config.keysPath) {
    writeFileSync(config.keysPath, JSON.stringify(jwks, null, 2), { mode: 0o600 });
  }
  return jwks;
}

// --- accounts -----------------------------------------------------------------------------

function readAccounts(path) {
  try {
    return readJson(path);
  } catch (error) {
    console.error(`cannot read the accounts file ${path}: ${error.message}`);
    return {};
  }
}

function accountAt(config, university, id) {
  const accounts = readAccounts(config.accountsPath);
  const entry = Object.hasOwn(accounts, id ?? '') ? accounts[id] : undefined;
  if (!entry || (entry.universities && !entry.universities.includes(university.code))) {
    return undefined;
  }
  return entry;
}

function accountExists(config, university, id) {
  return accountAt(config, university, id) !== undefined;
}

function accountFinder(config, university) {
  const userinfoOnlyHere = new Set(university.userinfo_only || []);
  return async function findAccount(ctx, id) {
    const entry = accountAt(config, university, id);
    if (!entry) return undefined;
    const { universities, userinfo_only: userinfoOnly, ...claims } = entry;
    const keepOut = new Set([...userinfoOnlyHere, ...(userinfoOnly || [])]);
    return {
      accountId: id,
      async claims(use) {
        const released = { ...claims, sub: id };
        if (use === 'id_token') {
          for (const name of keepOut) delete released[name];
        }
        return released;
      },
    };
  };
}

// --- one provider per university ----------------------------------------------------------

function providerFor(config, university, issuer, jwks, cookieKeys) {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: university.client_id,
        client_secret: university.client_secret,
        redirect_uris: university.redirect_uris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: university.token_endpoint_auth_method || 'client_secret_basic',
      },
    ],
    jwks,
    cookies: { keys: cookieKeys },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: PROFILE_CLAIMS,
    },
    // Scope-requested claims go into the ID token too (as many university IdPs do), except
    // those an account or university keeps for userinfo.
    conformIdTokenClaims: false,
    findAccount: accountFinder(config, university),
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: false },
    },
    pkce: { required: () => true },
    responseTypes: ['code'],
    ttl: config.ttl,
    clientBasedCORS: () => false,
    renderError(ctx, out) {
      ctx.type = 'html';
      const lines = Object.entries(out)
        .map(([key, value]) => `<li><b>${key}</b>: ${String(value).replace(/[<>&"]/g, '')}</li>`)
        .join('');
      ctx.body = `<!DOCTYPE html><title>${university.name || university.code}: error</title>`
        + `<h1>${university.name || university.code}: sign-in error</h1><ul>${lines}</ul>`;
    },
  });
  provider.on('server_error', (ctx, error) => console.error(`${university.code}: ${error.stack}`));
  return provider;
}

// Mount a provider under its issuer's path the way express does: the provider sees the
// path without the prefix, and req.originalUrl keeps the full one for the URLs it builds.
// The development login form accepts any login; an unknown one gets a page saying so (the
// provider itself would answer with a bare server_error).
function mounted(prefix, provider, config, university) {
  const handle = provider.callback();
  return async (req, res) => {
    req.originalUrl = req.url;
    req.url = req.url.slice(prefix.length) || '/';
    if (req.method === 'POST' && /^\/interaction\/[^/?]+$/.test(req.url)) {
      try {
        req.body = querystring.parse(await readRequestBody(req));
      } catch {
        res.writeHead(400, { 'Content-Type': 'text/plain' });
        res.end('unreadable form\n');
        return;
      }
      const { prompt, login } = req.body;
      if (prompt === 'login' && !accountExists(config, university, login)) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(unknownAccountPage(university, login, req.originalUrl));
        return;
      }
    }
    handle(req, res);
  };
}

async function readRequestBody(req, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString();
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function unknownAccountPage(university, login, retryUrl) {
  return '<!DOCTYPE html><meta charset="utf-8"><title>Unknown account</title>'
    + `<h1>${escapeHtml(university.name || university.code)}</h1>`
    + `<p>There is no account <code>${escapeHtml(login)}</code> here.</p>`
    + `<p><a href="${escapeHtml(retryUrl)}">Try again</a></p>`;
}

function accountsAt(config, university) {
  return Object.entries(readAccounts(config.accountsPath))
    .filter(([, a]) => !a.universities || a.universities.includes(university.code));
}

function describeAccount(account) {
  const what = [account.eduPersonAffiliation].flat().filter(Boolean).join(' ');
  const extra = [account.faculty, account.foundry_role].filter(Boolean).join(', ');
  return `${account.name || ''}, ${what}${extra ? ` (${extra})` : ''}`;
}

// What `make idp` shows: each university's issuer and the accounts that can sign in there.
function accountListing(config, issuers, port) {
  const lines = [`\nLocal university IdPs on http://${config.host}:${port}/ (any password):`];
  for (const university of config.universities) {
    lines.push(`  ${university.name || university.code}: ${issuers[university.code]}`);
    for (const [id, account] of accountsAt(config, university)) {
      lines.push(`    ${id.padEnd(16)} ${describeAccount(account)}`);
    }
  }
  return `${lines.join('\n')}\n\n`;
}

function indexPage(config, issuers) {
  const rows = config.universities.map((u) => {
    const names = accountsAt(config, u)
      .map(([id, a]) => `<li><code>${escapeHtml(id)}</code>: ${escapeHtml(describeAccount(a))}</li>`)
      .join('');
    const title = escapeHtml(u.name || u.code);
    return `<h2>${title}</h2><p>Issuer: <code>${issuers[u.code]}</code></p><ul>${names}</ul>`;
  });
  return `<!DOCTYPE html><meta charset="utf-8"><title>Local university IdPs</title>`
    + `<h1>Local university sign-in (development only)</h1>`
    + `<p>Sign in with any account below and any password.</p>${rows.join('')}`;
}

async function main() {
  const { config, values } = loadConfig();
  const jwks = await signingKeys(config);
  const cookieKeys = [randomBytes(32).toString('hex')];
  const handlers = new Map();
  const issuers = {};

  const server = http.createServer((req, res) => {
    const prefix = `/${(req.url.split(/[/?]/)[1] || '')}`;
    const handler = handlers.get(prefix);
    if (handler) {
      handler(req, res);
      return;
    }
    if (req.url === '/' || req.url.startsWith('/?')) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(indexPage(config, issuers));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('no such university IdP\n');
  });

  server.listen(config.port, config.host, () => {
    const { port } = server.address();
    for (const university of config.universities) {
      const prefix = `/${university.code}`;
      const issuer = `http://${config.host}:${port}${prefix}`;
      const provider = providerFor(config, university, issuer, jwks, cookieKeys);
      handlers.set(prefix, mounted(prefix, provider, config, university));
      issuers[university.code] = issuer;
    }
    process.stdout.write(`READY ${JSON.stringify(issuers)}\n`);
    if (values.list) process.stdout.write(accountListing(config, issuers, port));
  });

  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (values['exit-with-stdin']) {
    // Run by a test harness: when it goes away (its end of the pipe closes), so do we.
    process.stdin.on('end', stop);
    process.stdin.resume();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
