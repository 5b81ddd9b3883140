// account.js runs the pages mail links open: it reads the token from the
// address, removes it from the address bar, and sends it only when the user
// confirms (a GET must never spend it: mail scanners open links).
const prefix = "/api/auth";
const $ = (id) => document.getElementById(id);

const params = new URLSearchParams(location.search);
const token = params.get("token") || "";
history.replaceState(null, "", location.pathname);

const messages = {
  invalid_token: "This link is invalid, expired or already used. Ask for a new one.",
  // weak_password: the server's detail names its minimum length.
  account_conflict: "That address belongs to another account.",
  rate_limited: "Too many attempts. Wait a little and try again.",
};

function result(text, ok) {
  $("result").textContent = text;
  $("result").dataset.ok = String(ok);
}

async function post(path, body) {
  const res = await fetch(prefix + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    credentials: "same-origin",
    referrerPolicy: "no-referrer",
  });
  if (res.ok) return null;
  const err = await res.json().catch(() => ({}));
  return messages[err.error] || err.detail || `Error ${res.status}`;
}

if (location.pathname.endsWith("/reset-password")) {
  $("reset").hidden = false;
  $("reset-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const failed = await post("/password/reset", { token, password: $("new-password").value });
    $("new-password").value = "";
    if (failed) return result(failed, false);
    $("reset").hidden = true;
    result("Your password was changed and every session signed out. You can sign in with the new password.", true);
  });
} else {
  $("verify").hidden = false;
  $("verify-confirm").addEventListener("click", async () => {
    const failed = await post("/email/verify", { token });
    if (failed) return result(failed, false);
    $("verify").hidden = true;
    result("Your email address is confirmed. You can sign in.", true);
  });
}
