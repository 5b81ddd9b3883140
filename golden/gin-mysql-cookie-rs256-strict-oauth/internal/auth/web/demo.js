// demo.js drives the sign-in demo page through auth-client.js.
import { AuthClient } from "./auth-client.js";
import { qrSVG } from "./qr.js";

const auth = new AuthClient();
// Exposed for experimenting from the browser console.
window.auth = auth;

const $ = (id) => document.getElementById(id);

function show(result) {
  $("output").textContent = typeof result === "string" ? result : JSON.stringify(result, null, 2);
  $("cookies").textContent = document.cookie || "(nothing)";
}

function signedIn(yes, who) {
  $("state").dataset.signedIn = String(yes);
  $("state").textContent = yes ? `Signed in as ${who}.` : "Not signed in.";
}

async function run(action) {
  try {
    show(await action());
  } catch (err) {
    show(`${err.status || ""} ${err.code || ""} ${err.message}`.trim());
    if (err.status === 401 && err.code !== "insufficient_user_authentication") signedIn(false);
  }
}
// The token of a sign-in waiting for its second factor: in memory only,
// never stored.
let mfaToken = "";

async function signedInNow(body) {
  mfaToken = "";
  $("mfa-step").hidden = true;
  const me = await auth.me();
  signedIn(true, me.user_id);
  return body;
}

$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  run(async () => {
    let body;
    try {
      body = await auth.login($("username").value, $("password").value);
    } catch (err) {
      if (err.code !== "mfa_required") throw err;
      $("password").value = "";
      mfaToken = err.mfaToken;
      const passkey = err.methods.includes("webauthn");
      $("mfa-passkey").hidden = !passkey;
      $("mfa-passkey-hint").hidden = !passkey;
      $("mfa-step").hidden = false;
      $("mfa-code").focus();
      return `A second step is needed (${err.methods.join(", ")}).`;
    }
    $("password").value = "";
    return signedInNow(body);
  });
});

$("mfa-step").addEventListener("submit", (event) => {
  event.preventDefault();
  run(async () => {
    const code = $("mfa-code").value.trim();
    $("mfa-code").value = "";
    // Six digits are an app code; anything else is a recovery code.
    const body = /^[0-9]{6}$/.test(code)
      ? await auth.loginMFA(mfaToken, code)
      : await auth.loginMFA(mfaToken, "", { recoveryCode: code });
    return signedInNow(body);
  });
});

$("mfa-passkey").addEventListener("click", () => run(async () => signedInNow(await auth.loginWithPasskey(mfaToken))));

$("passkey-signin").addEventListener("click", () => run(async () => signedInNow(await auth.loginWithPasskey())));

async function mfaCall(path, payload = {}) {
  const res = await auth.fetch("/api/auth" + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });
  const body = res.status === 204 ? null : await res.json();
  if (!res.ok) throw Object.assign(new Error(body?.detail || body?.error || res.statusText), { status: res.status, code: body?.error });
  return body;
}

$("totp-setup").addEventListener("click", () =>
  run(async () => {
    const { secret, otpauth_url: url } = await mfaCall("/mfa/totp/setup");
    // The otpauth URL holds the secret: drawn here, shown nowhere else.
    $("totp-qr").replaceChildren(qrSVG(url));
    $("totp-secret").textContent = secret;
    $("recovery").hidden = true;
    $("totp-enrol").hidden = false;
    return "Scan the code, then type the code the app shows.";
  }),
);

$("totp-confirm").addEventListener("click", () =>
  run(async () => {
    const { recovery_codes: codes } = await mfaCall("/mfa/totp/confirm", { code: $("totp-code").value.trim() });
    $("totp-code").value = "";
    $("totp-enrol").hidden = true;
    $("totp-qr").replaceChildren();
    $("totp-secret").textContent = "";
    $("recovery-codes").textContent = codes.join("\n");
    $("recovery").hidden = false;
    return "Two-step sign-in is on. Your other sessions were signed out.";
  }),
);

$("passkey-register").addEventListener("click", () =>
  run(async () => {
    await auth.registerPasskey($("passkey-name").value || "Passkey");
    return `Passkey "${$("passkey-name").value}" added.`;
  }),
);

$("hello").addEventListener("click", () =>
  run(async () => {
    const res = await auth.fetch("/api/hello");
    const body = await res.json();
    if (body.error === "insufficient_user_authentication") {
      // AUTH_MFA_REQUIRED: signed in, but without a second factor.
      return { status: res.status, body, next: "This server requires a second factor: set one up below, then sign out and sign in again with it." };
    }
    if (res.status === 401) signedIn(false);
    return { status: res.status, body };
  }),
);

$("refresh").addEventListener("click", () => run(() => auth.refresh()));

$("logout").addEventListener("click", () =>
  run(async () => {
    await auth.logout();
    signedIn(false);
    return "Signed out.";
  }),
);

$("logout-all").addEventListener("click", () =>
  run(async () => {
    await auth.logoutAll();
    signedIn(false);
    return "Signed out on every device.";
  }),
);
// Accounts: sign-up, forgot password and the session list.
async function post(path, payload) {
  const res = await auth.fetch("/api/auth" + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });
  const body = res.status === 204 ? null : await res.json();
  return { status: res.status, body };
}

$("signup").addEventListener("submit", (event) => {
  event.preventDefault();
  run(async () => {
    const r = await post("/register", { email: $("signup-email").value, password: $("signup-password").value });
    $("signup-password").value = "";
    return r.status === 202 ? "Check your mail for the confirmation link." : r;
  });
});

$("forgot").addEventListener("submit", (event) => {
  event.preventDefault();
  run(async () => {
    const r = await post("/password/forgot", { email: $("forgot-email").value });
    return r.status === 202 ? "If the address has an account, a reset link is on its way." : r;
  });
});

async function listSessions() {
  const res = await auth.fetch("/api/auth/sessions");
  const body = await res.json();
  if (!res.ok) return { status: res.status, body };
  const list = $("sessions");
  list.replaceChildren();
  for (const s of body.sessions) {
    const item = document.createElement("li");
    item.dataset.sessionId = s.id;
    // textContent, never innerHTML: the user agent is client-supplied.
    item.textContent = `${s.user_agent || "unknown browser"} from ${s.ip || "?"}, last used ${s.last_used_at}${s.current ? " (this session)" : ""} `;
    if (!s.current) {
      const end = document.createElement("button");
      end.type = "button";
      end.textContent = "End";
      end.className = "end-session";
      end.addEventListener("click", () =>
        run(async () => {
          const r = await auth.fetch("/api/auth/sessions/" + encodeURIComponent(s.id), { method: "DELETE" });
          if (r.status !== 204) return { status: r.status, body: await r.json() };
          return listSessions();
        }),
      );
      item.append(end);
    }
    list.append(item);
  }
  return body;
}

$("sessions-list").addEventListener("click", () => run(listSessions));

$("sessions-revoke-others").addEventListener("click", () =>
  run(async () => {
    const r = await post("/sessions/revoke-others", {});
    if (r.status !== 204) return r;
    return listSessions();
  }),
);

// On load, find out whether the cookies still hold a session.
run(async () => {
  const res = await auth.fetch("/api/auth/me");
  if (!res.ok) return "Not signed in.";
  const me = await res.json();
  signedIn(true, me.user_id);
  return me;
});
