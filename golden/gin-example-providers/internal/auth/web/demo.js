// demo.js drives the sign-in demo page through auth-client.js.
import { AuthClient } from "./auth-client.js";

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
    if (err.status === 401) signedIn(false);
  }
}
$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  run(async () => {
    const body = await auth.login($("username").value, $("password").value);
    $("password").value = "";
    const me = await auth.me();
    signedIn(true, me.user_id);
    return body;
  });
});

$("hello").addEventListener("click", () =>
  run(async () => {
    const res = await auth.fetch("/api/hello");
    const body = await res.json();
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

// On load, find out whether the cookies still hold a session.
run(async () => {
  const res = await auth.fetch("/api/auth/me");
  if (!res.ok) return "Not signed in.";
  const me = await res.json();
  signedIn(true, me.user_id);
  return me;
});
