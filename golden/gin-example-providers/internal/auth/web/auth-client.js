// auth-client.js: a small browser client for the authentication endpoints
// under /api/auth when tokens travel in HttpOnly cookies. It has no
// dependencies and needs no build step: copy it into your front end and
// import it as an ES module.
//
// Scripts cannot read the access and refresh cookies (that is the point of
// HttpOnly). This client only does the two things a cookie front end must:
//
//   - It sends the X-CSRF-Token header on every unsafe request (POST, PUT,
//     PATCH, DELETE). The value comes from the readable CSRF cookie, or,
//     for a front end on another origin that cannot read it, from the
//     csrf_token of the last sign-in or refresh answer.
//   - When a request answers 401 with error "token_expired", it refreshes
//     the session once and retries the request once. Concurrent requests
//     share one refresh (single flight): ten parallel calls that all find the
//     access token expired rotate the refresh token once, not ten times.
//     Tabs take turns through a Web Lock, so several tabs waking up at once
//     rotate it once too.
//
// Usage:
//
//   import { AuthClient } from "./auth-client.js";
//
//   const auth = new AuthClient();          // same origin, prefix /api/auth
//   await auth.login("alice", "correct horse battery staple");
//   const res = await auth.fetch("/api/hello");
//   await auth.logout();
//
// A front end served from another origin of the same site (app.example.com
// calling api.example.com) passes baseURL and credentials "include"; the API
// must list that origin in its trusted origins and answer CORS for it.
//
//   const auth = new AuthClient({ baseURL: "https://api.example.com", credentials: "include" });

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

// AuthError is thrown by login, refresh and logout when the server refuses.
// code is the contract's error code (e.g. "invalid_credentials",
// "token_reused", "csrf_failed").
export class AuthError extends Error {
  constructor(status, code, detail, body = {}) {
    super(detail || code || `HTTP ${status}`);
    this.name = "AuthError";
    this.status = status;
    this.code = code;
  }
}

export class AuthClient {
  #baseURL;
  #prefix;
  #credentials;
  #csrfCookies;
  #csrf = "";
  #lockName;
  #refreshing = null;
  // generation counts completed refreshes, so that a request that failed
  // with an old access token after another request already refreshed is
  // retried without rotating the refresh token a second time.
  #generation = 0;

  constructor({
    baseURL = "",
    prefix = "/api/auth",
    credentials = "same-origin",
    csrfCookies = ["__Host-csrf_token", "csrf_token"],
  } = {}) {
    this.#baseURL = baseURL;
    this.#prefix = prefix;
    this.#credentials = credentials;
    this.#csrfCookies = csrfCookies;
    this.#lockName = `auth-refresh ${baseURL}${prefix}`;
  }

  // csrfToken is the value sent in X-CSRF-Token: the CSRF cookie when this
  // page can read it (same origin), else the one the server gave last.
  csrfToken() {
    return readCookie(this.#csrfCookies) || this.#csrf;
  }

  // login signs in with a username (or email) and password. The server sets
  // the cookies; the answer body carries no token, only lifetimes and the
  // CSRF token.
  async login(username, password) {
    const body = await this.#call("/token", { username, password });
    this.#generation++;
    return body;
  }

  // refresh rotates the refresh cookie and renews the access cookie. Calls
  // made while a refresh is in flight wait for that one. Tabs of the same
  // browser share the cookies, so they also take turns (Web Locks): a tab
  // that waited while another refreshed finds the cookies already renewed
  // and does not rotate them a second time. since (a time in ms) is when
  // the caller last saw the old cookies; a refresh after it is enough.
  refresh(since = Date.now()) {
    if (!this.#refreshing) {
      this.#refreshing = oneTabAtATime(this.#lockName, async () => {
        const last = lastRefresh(this.#lockName);
        if (last && last.at >= since) {
          return last.body; // another tab has just refreshed
        }
        const body = await this.#call("/token/refresh", {});
        rememberRefresh(this.#lockName, body);
        return body;
      })
        .then((body) => {
          this.#generation++;
          return body;
        })
        .finally(() => {
          this.#refreshing = null;
        });
    }
    return this.#refreshing;
  }

  // logout ends this session and clears the cookies.
  async logout() {
    await this.#call("/logout", {});
    this.#csrf = "";
  }

  // logoutAll ends every session of the user, on every device.
  async logoutAll() {
    await this.#call("/logout/all", {});
    this.#csrf = "";
  }

  // me returns the signed-in user id and claims.
  async me() {
    const res = await this.fetch(this.#prefix + "/me");
    if (!res.ok) throw await errorOf(res);
    return res.json();
  }

  // fetch is window.fetch with the CSRF header added to unsafe requests and
  // one transparent refresh-and-retry when the access token has expired. A
  // request body that is a stream cannot be sent twice: pass a string,
  // Blob, FormData or URLSearchParams.
  async fetch(input, init = {}) {
    const generation = this.#generation;
    const sent = Date.now();
    const res = await this.#send(input, init);
    if (res.status !== 401 || (await errorCode(res)) !== "token_expired") {
      return res;
    }
    if (this.#generation === generation) {
      try {
        await this.refresh(sent);
      } catch {
        return res; // the session is over: let the caller see the 401
      }
    }
    return this.#send(input, init);
  }

  #send(input, init) {
    const headers = new Headers(init.headers);
    const method = (init.method || (input instanceof Request ? input.method : "GET")).toUpperCase();
    const url = typeof input === "string" && input.startsWith("/") ? this.#baseURL + input : input;
    // The CSRF token goes only to the API's own origin: handed to a third
    // party it would let that party forge requests for the whole session.
    if (unsafeMethods.has(method) && !headers.has("X-CSRF-Token") && this.#isAPI(url)) {
      const token = this.csrfToken();
      if (token) headers.set("X-CSRF-Token", token);
    }
    return fetch(url, { credentials: this.#credentials, ...init, headers });
  }

  // #isAPI reports whether url points at the API origin (baseURL, or this
  // page's origin when baseURL is empty).
  #isAPI(url) {
    const href = url instanceof Request ? url.url : String(url);
    try {
      const api = new URL(this.#baseURL || location.href, location.href).origin;
      return new URL(href, location.href).origin === api;
    } catch {
      return false;
    }
  }

  async #call(path, payload) {
    const res = await this.#send(this.#prefix + path, {
      method: "POST",
      // A JSON body: the server refuses form posts to these endpoints, which
      // is what stops a cross-site form from signing the user in.
      headers: { "Content-Type": "application/json", "X-Auth-Transport": "cookie" },
      body: JSON.stringify(payload),
    });
    if (!res.ok) throw await errorOf(res);
    if (res.status === 204) return null;
    const body = await res.json();
    if (body.csrf_token) this.#csrf = body.csrf_token;
    return body;
  }
}

// oneTabAtATime runs task while holding a lock shared by the tabs of this
// origin, where the browser offers Web Locks (secure contexts); elsewhere it
// just runs it, and the server's grace window absorbs concurrent refreshes.
function oneTabAtATime(name, task) {
  if (globalThis.navigator?.locks) {
    return navigator.locks.request(name, task);
  }
  return task();
}

// lastRefresh and rememberRefresh share the time and answer of the latest
// refresh between tabs. The answer holds no token, only lifetimes and the
// CSRF token, which scripts of this origin can read from its cookie anyway.
function lastRefresh(name) {
  try {
    return JSON.parse(localStorage.getItem(name) || "null");
  } catch {
    return null;
  }
}

function rememberRefresh(name, body) {
  try {
    localStorage.setItem(name, JSON.stringify({ at: Date.now(), body }));
  } catch {
    // storage unavailable: tabs then rely on the server's grace window
  }
}

// readCookie returns the value of the first of names present in
// document.cookie. Only the wanted value is decoded, and a malformed one is
// taken as absent: another cookie of the site, possibly planted by a sibling
// subdomain, must not be able to break the client.
function readCookie(names) {
  const jar = new Map();
  for (const pair of document.cookie.split(";")) {
    const i = pair.indexOf("=");
    if (i < 0) continue;
    const name = pair.slice(0, i).trim();
    if (!jar.has(name)) jar.set(name, pair.slice(i + 1).trim());
  }
  for (const name of names) {
    if (!jar.has(name)) continue;
    try {
      return decodeURIComponent(jar.get(name));
    } catch {
      continue;
    }
  }
  return "";
}

async function errorCode(res) {
  try {
    return (await res.clone().json()).error || "";
  } catch {
    return "";
  }
}

async function errorOf(res) {
  let body = {};
  try {
    body = await res.clone().json();
  } catch {
    // not a JSON error body
  }
  return new AuthError(res.status, body.error, body.detail, body);
}
