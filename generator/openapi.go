package generator

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// openAPI builds the OpenAPI 3.1 document of exactly the endpoints the
// package of d serves (docs/api.md is the prose of the same). Templates
// call it as {{openapi .}}: a JSON document is data, assembled here rather
// than with template conditionals and commas.
//
// Each operation lists every status it answers, and for each error status
// the exact error codes (an enum on the body's "error"), so that a client
// generator, and the test that checks the document against the generated
// server's answers, see the whole contract of CONTRACT.md.
func openAPI(d *data) (string, error) {
	b := &apiDoc{d: d, paths: obj{}}
	b.core()
	if d.Accounts() {
		b.accounts()
	}
	if d.MFA() {
		b.mfa()
	}
	if d.OAuth() {
		b.oauth()
	}
	// fasthttp reads every request's headers into a fixed buffer before
	// any route runs; FiberErrorHandler answers an overflow as JSON.
	if d.caps&capHeaderLimitJSON != 0 {
		for _, item := range b.paths {
			for _, o := range item.(obj) {
				if o, ok := o.(obj); ok && o["responses"] != nil {
					o["responses"].(obj)["431"] = errorResponse([]string{"invalid_request"})
				}
			}
		}
	}
	doc := obj{
		"openapi": "3.1.0",
		"info": obj{"title": d.Package + ": authentication API", "version": "1",
			"description": "Sessions with rotating refresh tokens, logout that revokes, and the endpoints of the options this package was generated with. " +
				"Errors are {\"error\", \"detail\"}; each error response lists its codes. Every documented path answers another method with 405 method_not_allowed " +
				"and an Allow header, and an unknown path under the prefix with 404 not_found." + b.cookieNote()},
		"paths":      b.paths,
		"components": obj{"securitySchemes": b.schemes(), "schemas": b.schemas()},
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", err
	}
	return string(out) + "\n", nil
}

type obj = map[string]any

// apiDoc assembles the paths of one document.
type apiDoc struct {
	d     *data
	paths obj
}

// op describes one operation.
type op struct {
	summary string
	// body is the JSON request body's schema; optional bodies set
	// bodyOptional.
	body         obj
	bodyOptional bool
	// form is an application/x-www-form-urlencoded body instead of JSON.
	form obj
	// providerPost is the provider's form post of a callback: cross-site
	// by design, so exempt from the cross-origin check, and any body it
	// cannot parse is 400 invalid_request.
	providerPost bool
	// ok is the success status and its response.
	ok     int
	okResp obj
	// more are other non-error responses (redirects, mfa_required).
	more map[int]obj
	// errs lists the error codes per status.
	errs map[int][]string
	// auth: "" none, "access" an access token (Require), "caller" an
	// introspection caller's secret.
	auth string
	// revoked marks the protected routes whose handler reads the session
	// (or the user) whatever the revocation mode: token_revoked there even
	// with revocation: expiry, where Require alone never reads the store.
	revoked bool
	// sessionStart marks the requests that start a session: in both mode
	// they take X-Auth-Transport.
	sessionStart bool
	params       []any
	// cookies are the cookies the request reads, by name.
	cookies []string
}

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func jsonBody(schema obj) obj { return obj{"application/json": obj{"schema": schema}} }

var str = obj{"type": "string"}

func object(required []string, props obj) obj {
	o := obj{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

// errorResponse is an error answer whose "error" is one of codes.
func errorResponse(codes []string) obj {
	codes = slices.Compact(slices.Sorted(slices.Values(codes)))
	schema := obj{"allOf": []any{ref("Error"), obj{"properties": obj{"error": obj{"enum": codes}}}}}
	return obj{"description": strings.Join(codes, ", "), "content": jsonBody(schema)}
}

func (b *apiDoc) add(method, path string, o op) {
	d := b.d
	errs := map[int][]string{}
	for s, c := range o.errs {
		errs[s] = append(errs[s], c...)
	}
	unsafe := method != "get"
	if o.body != nil || o.form != nil {
		errs[400] = append(errs[400], "invalid_request")
		if !o.providerPost {
			errs[413] = append(errs[413], "payload_too_large")
			errs[415] = append(errs[415], "unsupported_media_type")
		}
	}
	if o.auth == "access" {
		errs[401] = append(errs[401], "token_not_valid", "token_expired")
		if d.Strict() || o.revoked {
			errs[401] = append(errs[401], "token_revoked")
		}
		// MFAConfig.Required (runtime configuration) refuses every token
		// without a second factor, except on GET me and the enrollment
		// endpoints while the account has none: any of them can answer it.
		if d.Accounts() && d.MFA() && !slices.Contains(errs[401], "insufficient_user_authentication") {
			errs[401] = append(errs[401], "insufficient_user_authentication")
		}
	}
	// Cookie transports refuse a cross-site unsafe request, and an
	// unsafe cookie-authenticated one without its X-CSRF-Token.
	if d.Cookie() && unsafe && !o.providerPost {
		errs[403] = append(errs[403], "csrf_failed")
	}
	oper := obj{"summary": o.summary}
	resp := obj{strconv.Itoa(o.ok): o.okResp}
	for s, r := range o.more {
		resp[strconv.Itoa(s)] = r
	}
	for s, codes := range errs {
		k := strconv.Itoa(s)
		if s == 401 && resp[k] != nil {
			// mfa_required beside the error codes of a login.
			resp[k] = obj{"description": resp[k].(obj)["description"].(string) + "; or " + strings.Join(codes, ", "),
				"headers": obj{"WWW-Authenticate": obj{"schema": str}},
				"content": jsonBody(obj{"oneOf": []any{ref("MFARequired"), errorResponse(codes)["content"].(obj)["application/json"].(obj)["schema"]}})}
			continue
		}
		r := errorResponse(codes)
		switch s {
		case 401:
			r["headers"] = obj{"WWW-Authenticate": obj{"description": "RFC 6750 challenge; RFC 9470 (acr_values or max_age) for insufficient_user_authentication", "schema": str}}
		case 429, 503:
			r["headers"] = obj{"Retry-After": obj{"description": "seconds", "schema": str}}
		}
		resp[k] = r
	}
	oper["responses"] = resp
	switch {
	case o.body != nil:
		oper["requestBody"] = obj{"required": !o.bodyOptional, "content": jsonBody(o.body)}
	case o.form != nil:
		oper["requestBody"] = obj{"required": true, "content": obj{"application/x-www-form-urlencoded": obj{"schema": o.form}}}
	}
	switch o.auth {
	case "access":
		var sec []any
		if d.Header() {
			sec = append(sec, obj{"bearer": []any{}})
		}
		if d.Cookie() {
			if unsafe {
				sec = append(sec, obj{"accessCookie": []any{}, "csrfHeader": []any{}})
			} else {
				sec = append(sec, obj{"accessCookie": []any{}})
			}
		}
		oper["security"] = sec
	case "caller":
		oper["security"] = []any{obj{"introspectionCaller": []any{}}}
	}
	params := slices.Clone(o.params)
	if o.sessionStart && d.Header() && d.Cookie() {
		params = append(params, obj{"name": "X-Auth-Transport", "in": "header",
			"description": "cookie: answer with the auth cookies; otherwise tokens in the body", "schema": obj{"type": "string", "enum": []string{"cookie"}}})
	}
	for _, c := range o.cookies {
		params = append(params, obj{"name": c, "in": "cookie", "schema": str})
	}
	if len(params) > 0 {
		oper["parameters"] = params
	}
	item, _ := b.paths[path].(obj)
	if item == nil {
		item = obj{}
		b.paths[path] = item
	}
	item[method] = oper
}

// tokens is the response of a request that starts or rotates a session.
func (b *apiDoc) tokens(desc string) obj {
	r := obj{"description": desc + "; Cache-Control: no-store", "content": jsonBody(ref("TokenResponse"))}
	if b.d.Cookie() {
		r["headers"] = obj{"Set-Cookie": obj{"description": b.setCookies(), "schema": str}}
	}
	return r
}

func (b *apiDoc) setCookies() string {
	s := "cookie transport: the access cookie __Host-access_token, the refresh cookie __Secure-refresh_token and the csrf cookie __Host-csrf_token (and __Host-device after a password login)"
	if b.d.Header() {
		s = "with X-Auth-Transport: cookie, " + s
	}
	return s
}

func (b *apiDoc) cookieNote() string {
	if !b.d.Cookie() {
		return ""
	}
	return " Cookies (development names without the __Host-/__Secure- prefix when InsecureDev is set): access __Host-access_token (HttpOnly; Secure; SameSite=Lax; Path=/), " +
		"refresh __Secure-refresh_token (HttpOnly; Secure; SameSite=Strict; Path=" + b.d.Prefix + "), csrf __Host-csrf_token (readable by scripts; Secure; SameSite=Strict; Path=/), " +
		"device __Host-device (HttpOnly; one year). Unsafe cookie-authenticated requests, and every cookie refresh and logout, send X-CSRF-Token equal to the csrf cookie."
}

func empty(desc string) obj { return obj{"description": desc} }

func jsonOK(desc string, schema obj) obj {
	return obj{"description": desc, "content": jsonBody(schema)}
}

var checkEmail = jsonOK("accepted; the same answer whatever the address", object([]string{"status"}, obj{"status": obj{"const": "check_email"}}))

func (b *apiDoc) core() {
	d, p := b.d, b.d.Prefix
	login := op{summary: "Log in with a username (or email) and password", body: ref("LoginRequest"), ok: 200,
		okResp: b.tokens("a new session's tokens"), sessionStart: true,
		errs: map[int][]string{401: {"invalid_credentials"}, 429: {"rate_limited"}, 503: {"unavailable"}}}
	if d.Accounts() {
		login.errs[403] = append(login.errs[403], "email_not_verified")
	}
	if d.MFA() {
		login.more = map[int]obj{401: b.mfaRequired()}
	}
	b.add("post", p+"/token", login)

	refresh := op{summary: "Rotate the refresh token", ok: 200, okResp: b.tokens("the session's new tokens, with a new refresh token"),
		errs: map[int][]string{400: {"invalid_request"}, 401: {"token_not_valid", "token_expired", "token_revoked", "token_reused"},
			413: {"payload_too_large"}, 415: {"unsupported_media_type"}, 429: {"rate_limited"}, 503: {"unavailable"}}}
	logout := op{summary: "End this session", ok: 204, okResp: empty("the session is revoked"),
		errs: map[int][]string{400: {"invalid_request"}, 401: {"token_not_valid"}, 413: {"payload_too_large"}, 415: {"unsupported_media_type"}, 503: {"unavailable"}}}
	if d.Header() {
		refresh.body = object(nil, obj{"refresh": str, "audience": str})
		if !d.Cookie() {
			refresh.body["required"] = []string{"refresh"}
		}
		refresh.bodyOptional = d.Cookie()
		logout.body = object(nil, obj{"refresh": str})
		logout.bodyOptional = true
		logout.params = []any{obj{"name": "Authorization", "in": "header", "description": "Bearer access token, in place of the body", "schema": str}}
	}
	if d.Cookie() {
		if !d.Header() {
			// A cookie refresh may name the audience of its new access token.
			refresh.body, refresh.bodyOptional = object(nil, obj{"audience": str}), true
		}
		refresh.cookies = []string{"__Secure-refresh_token"}
		refresh.params = []any{obj{"name": "X-CSRF-Token", "in": "header", "description": "cookie refresh: the csrf cookie's value", "schema": str}}
		logout.cookies = []string{"__Host-access_token", "__Secure-refresh_token"}
		logout.params = append(logout.params, obj{"name": "X-CSRF-Token", "in": "header", "description": "cookie logout: the csrf cookie's value", "schema": str})
		logout.okResp = obj{"description": "the session is revoked; a cookie logout clears every auth cookie (Max-Age=0)",
			"headers": obj{"Set-Cookie": obj{"description": "the auth cookies, cleared", "schema": str}}}
	}
	b.add("post", p+"/token/refresh", refresh)
	b.add("post", p+"/logout", logout)

	verifyErrs := map[int][]string{401: {"token_not_valid", "token_expired"}}
	if d.Strict() {
		verifyErrs[401] = append(verifyErrs[401], "token_revoked")
		verifyErrs[503] = []string{"unavailable"}
	}
	b.add("post", p+"/token/verify", op{summary: "Check an access token", body: object([]string{"token"}, obj{"token": str}),
		ok: 200, okResp: jsonOK("the token is valid", obj{"type": "object"}), errs: verifyErrs})
	b.add("post", p+"/introspect", op{summary: "Token introspection (RFC 7662) for the team's services holding an introspection secret",
		form: object([]string{"token"}, obj{"token": str, "token_type_hint": str}), auth: "caller",
		ok: 200, okResp: jsonOK("whether the token is live; anything not live is {\"active\": false}; Cache-Control: no-store", ref("Introspection")),
		errs: map[int][]string{401: {"token_not_valid"}, 404: {"not_found"}, 429: {"rate_limited"}, 503: {"unavailable"}}})
	b.add("post", p+"/logout/all", op{summary: "Revoke every session of the signed-in user", auth: "access", revoked: true,
		ok: 204, okResp: empty("every session is revoked"), errs: map[int][]string{503: {"unavailable"}}})
	// /me answers from the token alone; only the strict session check asks
	// the store.
	meErrs := map[int][]string{}
	if d.Strict() {
		meErrs[503] = []string{"unavailable"}
	}
	b.add("get", p+"/me", op{summary: "The signed-in user", auth: "access",
		ok: 200, okResp: jsonOK("the user and the access token's claims", ref("Me")), errs: meErrs})
	b.paths[p+"/openapi.json"] = obj{"get": obj{"summary": "This document", "responses": obj{
		"200": jsonOK("the OpenAPI document of this package's endpoints", obj{"type": "object"})}}}
	if d.Asymmetric() {
		b.paths["/.well-known/jwks.json"] = obj{"get": obj{"summary": "The public keys that verify access tokens", "responses": obj{
			"200": obj{"description": "JWKS (RFC 7517): every next, current and retired public key; Cache-Control: public, max-age=...", "content": jsonBody(ref("JWKS"))}}}}
	} else {
		b.paths["/.well-known/jwks.json"] = obj{"get": obj{"summary": "No public keys: HS256 keys are shared secrets", "responses": obj{
			"404": errorResponse([]string{"not_found"})}}}
	}
}

func (b *apiDoc) accounts() {
	p := b.d.Prefix
	b.add("post", p+"/register", op{summary: "Sign up; the account is usable once its email is verified",
		body: object([]string{"email", "password"}, obj{"email": str, "password": str, "username": str}),
		ok:   202, okResp: checkEmail,
		more: map[int]obj{201: jsonOK("email verification is off: the account exists (no session)", object([]string{"user_id"}, obj{"user_id": str}))},
		errs: map[int][]string{400: {"weak_password"}, 409: {"account_conflict"}, 429: {"rate_limited"}, 503: {"unavailable"}}})
	b.add("post", p+"/email/verify", op{summary: "Verify an email address with the token of the mailed link (single use, 24 h)",
		body: object([]string{"token"}, obj{"token": str}), ok: 204, okResp: empty("verified (or changed, for an email change)"),
		errs: map[int][]string{400: {"invalid_token"}, 409: {"account_conflict"}, 503: {"unavailable"}}})
	b.add("post", p+"/email/resend", op{summary: "Mail the verification link again",
		body: object([]string{"email"}, obj{"email": str}), ok: 202, okResp: checkEmail,
		errs: map[int][]string{429: {"rate_limited"}, 503: {"unavailable"}}})
	b.add("post", p+"/email/change", op{summary: "Change the email address; it takes effect when the new address is verified", auth: "access", revoked: true,
		body: object([]string{"email", "password"}, obj{"email": str, "password": str}), ok: 202, okResp: checkEmail,
		errs: map[int][]string{401: {"invalid_credentials"}, 429: {"rate_limited"}, 503: {"unavailable"}}})
	b.add("post", p+"/password/forgot", op{summary: "Mail a password reset link",
		body: object([]string{"email"}, obj{"email": str}), ok: 202, okResp: checkEmail,
		errs: map[int][]string{429: {"rate_limited"}, 503: {"unavailable"}}})
	b.add("post", p+"/password/reset", op{summary: "Set a new password with the token of the mailed link (single use, 30 min); ends every session",
		body: object([]string{"token", "password"}, obj{"token": str, "password": str}), ok: 204, okResp: empty("the password is set"),
		errs: map[int][]string{400: {"weak_password", "invalid_token"}, 503: {"unavailable"}}})
	b.add("post", p+"/password/change", op{summary: "Change the password; every other session ends", auth: "access", revoked: true,
		body: object([]string{"current_password", "new_password"}, obj{"current_password": str, "new_password": str}), ok: 204, okResp: empty("the password is changed"),
		errs: map[int][]string{400: {"weak_password"}, 401: {"invalid_credentials"}, 429: {"rate_limited"}, 503: {"unavailable"}}})
	b.add("get", p+"/sessions", op{summary: "The caller's own sessions", auth: "access", revoked: true,
		ok: 200, okResp: jsonOK("the sessions", object([]string{"sessions"}, obj{"sessions": obj{"type": "array", "items": ref("Session")}})),
		errs: map[int][]string{503: {"unavailable"}}})
	b.add("delete", p+"/sessions/{id}", op{summary: "End one of the caller's own sessions", auth: "access", revoked: true,
		params: []any{obj{"name": "id", "in": "path", "required": true, "schema": str}},
		ok:     204, okResp: empty("the session is revoked"), errs: map[int][]string{404: {"not_found"}, 503: {"unavailable"}}})
	b.add("post", p+"/sessions/revoke-others", op{summary: "End every other session of the caller", auth: "access", revoked: true,
		ok: 204, okResp: empty("the other sessions are revoked"), errs: map[int][]string{503: {"unavailable"}}})
}

// mfaRequired is the 401 of a sign-in whose user has a second factor.
func (b *apiDoc) mfaRequired() obj {
	return obj{"description": "mfa_required: the user has a second factor; POST it with the mfa_token to " + b.d.Prefix + "/token/mfa (or webauthn/login)",
		"headers": obj{"WWW-Authenticate": obj{"schema": str}}, "content": jsonBody(ref("MFARequired"))}
}

func (b *apiDoc) mfa() {
	d, p := b.d, b.d.Prefix
	recovery := jsonOK("ten single-use recovery codes; Cache-Control: no-store", object([]string{"recovery_codes"},
		obj{"recovery_codes": obj{"type": "array", "items": str, "minItems": 10, "maxItems": 10}}))
	second := op{summary: "Complete a sign-in with a second factor", ok: 200, okResp: b.tokens("the new session's tokens"),
		body: object([]string{"mfa_token"}, obj{"mfa_token": str, "code": str, "recovery_code": str}),
		errs: map[int][]string{401: {"mfa_failed"}, 429: {"rate_limited"}, 503: {"unavailable"}}}
	if d.OAuth() && d.Cookie() {
		// A social sign-in in the browser leaves the mfa_token in a cookie.
		delete(second.body, "required")
		second.cookies = []string{"__Host-mfa_token"}
	}
	b.add("post", p+"/token/mfa", second)
	b.add("post", p+"/mfa/totp/setup", op{summary: "Begin TOTP enrolment (RFC 6238, SHA-1, 6 digits, 30 s); not active until confirmed", auth: "access", revoked: true,
		ok: 200, okResp: jsonOK("the secret; Cache-Control: no-store", object([]string{"secret", "otpauth_url"}, obj{"secret": str, "otpauth_url": str})),
		errs: map[int][]string{400: {"invalid_request"}, 503: {"unavailable"}}})
	b.add("post", p+"/mfa/totp/confirm", op{summary: "Turn TOTP on with a first code; other sessions end", auth: "access", revoked: true,
		body: object([]string{"code"}, obj{"code": str}), ok: 200, okResp: recovery,
		errs: map[int][]string{401: {"mfa_failed"}, 429: {"rate_limited"}, 503: {"unavailable"}}})
	b.add("delete", p+"/mfa/totp", op{summary: "Turn TOTP off, with the password or a current code", auth: "access", revoked: true,
		body: obj{"type": "object", "properties": obj{"password": str, "code": str}}, ok: 204, okResp: empty("TOTP is off"),
		errs: map[int][]string{401: {"invalid_credentials", "mfa_failed"}, 429: {"rate_limited"}, 503: {"unavailable"}}})
	b.add("post", p+"/mfa/recovery-codes", op{summary: "A new set of recovery codes (the old set stops working); needs a sign-in with a second factor", auth: "access", revoked: true,
		ok: 200, okResp: recovery,
		errs: map[int][]string{400: {"invalid_request"}, 401: {"insufficient_user_authentication"}, 503: {"unavailable"}}})
	options := jsonOK("WebAuthn options for the browser's navigator.credentials call; Cache-Control: no-store", obj{"type": "object"})
	credential := obj{"type": "object", "description": "the browser's PublicKeyCredential, as JSON"}
	b.add("post", p+"/webauthn/register/begin", op{summary: "Begin registering a passkey", auth: "access", revoked: true,
		ok: 200, okResp: options, errs: map[int][]string{503: {"unavailable"}}})
	b.add("post", p+"/webauthn/register/finish", op{summary: "Finish registering a passkey", auth: "access", revoked: true, body: credential,
		params: []any{obj{"name": "name", "in": "query", "description": "the passkey's label (1 to 64 characters; default Passkey)", "schema": str}},
		ok:     204, okResp: empty("the passkey is registered"), errs: map[int][]string{503: {"unavailable"}}})
	b.add("post", p+"/webauthn/login/begin", op{summary: "Begin a passkey sign-in; with an mfa_token, the second factor of that sign-in",
		body: object(nil, obj{"mfa_token": str}), bodyOptional: true, ok: 200, okResp: options,
		errs: map[int][]string{401: {"mfa_failed"}, 429: {"rate_limited"}, 503: {"unavailable"}}})
	finish := op{summary: "Finish a passkey sign-in", body: credential, ok: 200, okResp: b.tokens("the new session's tokens"), sessionStart: true,
		errs: map[int][]string{401: {"mfa_failed"}, 429: {"rate_limited"}, 503: {"unavailable"}}}
	b.add("post", p+"/webauthn/login/finish", finish)
	b.add("get", p+"/webauthn/credentials", op{summary: "The caller's own passkeys", auth: "access", revoked: true,
		ok: 200, okResp: jsonOK("the passkeys", object([]string{"credentials"}, obj{"credentials": obj{"type": "array", "items": ref("Passkey")}})),
		errs: map[int][]string{503: {"unavailable"}}})
	id := obj{"name": "id", "in": "path", "required": true, "description": "the credential id, base64url", "schema": str}
	b.add("patch", p+"/webauthn/credentials/{id}", op{summary: "Rename a passkey", auth: "access", revoked: true, params: []any{id},
		body: object([]string{"name"}, obj{"name": str}), ok: 204, okResp: empty("renamed"),
		errs: map[int][]string{404: {"not_found"}, 503: {"unavailable"}}})
	b.add("delete", p+"/webauthn/credentials/{id}", op{summary: "Delete a passkey (never the last way to sign in; the last second factor only within 5 minutes of a sign-in)", auth: "access", revoked: true, params: []any{id},
		ok: 204, okResp: empty("deleted"), errs: map[int][]string{401: {"insufficient_user_authentication"}, 404: {"not_found"}, 409: {"account_conflict"}, 503: {"unavailable"}}})
}

func (b *apiDoc) oauth() {
	d, p := b.d, b.d.Prefix
	var names []string
	for _, pr := range d.Providers {
		names = append(names, pr.Name)
	}
	provider := obj{"name": "provider", "in": "path", "required": true, "schema": obj{"type": "string", "enum": names}}
	redirect := func(desc string) obj {
		return obj{"description": desc, "headers": obj{"Location": obj{"schema": str}}}
	}
	var done string
	switch {
	case d.Cookie():
		done = "to next with the auth cookies (Set-Cookie)"
		if d.MFA() {
			done += "; a user with a second factor: to next?mfa=required with the mfa_token in the HttpOnly cookie __Host-mfa_token (5 min), which token/mfa takes"
		}
	default:
		done = "to next?code=ONE_TIME_CODE, which oauth/exchange trades for tokens; sets the binding cookie __Host-oauth_code (HttpOnly; SameSite=Lax; Path=/)"
		if d.MFA() {
			done += "; a user with a second factor: to next?mfa_code=ONE_TIME_CODE, which oauth/exchange answers with 401 mfa_required"
		}
	}
	done += "; a link started by oauth/{provider}/link: to next?linked={provider}"
	callback := op{summary: "The provider's redirect back", params: []any{provider}, ok: 303, okResp: redirect(done),
		errs: map[int][]string{400: {"oauth_failed"}, 404: {"not_found"}, 409: {"account_conflict"}, 503: {"unavailable"}}}
	b.add("get", p+"/oauth/{provider}/callback", callback)
	if d.FormPostCallbacks() {
		post := callback
		post.summary = "The provider's form_post callback (providers that post it, e.g. Apple)"
		post.errs = map[int][]string{400: {"oauth_failed", "invalid_request"}, 404: {"not_found"}, 405: {"method_not_allowed"}, 409: {"account_conflict"}, 503: {"unavailable"}}
		post.form = obj{"type": "object", "properties": obj{"state": str, "code": str, "id_token": str, "user": str, "error": str}}
		post.providerPost = true
		b.add("post", p+"/oauth/{provider}/callback", post)
	}
	b.add("get", p+"/oauth/{provider}", op{summary: "Start a social sign-in",
		params: []any{provider, obj{"name": "next", "in": "query", "description": "where to land afterwards: a relative path or an allowed origin", "schema": str}},
		ok:     302, okResp: obj{"description": "to the provider; sets the transaction cookie __Host-oauth_tx (HttpOnly; Secure; SameSite=Lax; at most 10 minutes; sealed)",
			"headers": obj{"Location": obj{"schema": str}, "Set-Cookie": obj{"schema": str}}},
		errs: map[int][]string{400: {"invalid_request"}, 404: {"not_found"}, 429: {"rate_limited"}, 503: {"unavailable"}}})
	b.add("post", p+"/oauth/{provider}/nonce", op{summary: "Native flow: a server-issued nonce (single use, 5 min, valid across instances)",
		params: []any{provider}, ok: 200, okResp: jsonOK("the nonce; Cache-Control: no-store", object([]string{"nonce"}, obj{"nonce": str})),
		errs: map[int][]string{404: {"not_found"}, 429: {"rate_limited"}, 503: {"unavailable"}}})
	native := op{summary: "Native sign-in with an ID token and a nonce from oauth/{provider}/nonce, or with an authorization code and PKCE verifier",
		params: []any{provider}, sessionStart: true,
		body: object(nil, obj{"id_token": str, "nonce": str, "code": str, "code_verifier": str, "redirect_uri": str}),
		ok:   200, okResp: b.tokens("the new session's tokens"),
		errs: map[int][]string{400: {"oauth_failed"}, 404: {"not_found"}, 409: {"account_conflict"}, 429: {"rate_limited"}, 503: {"unavailable"}}}
	if d.MFA() {
		native.more = map[int]obj{401: b.mfaRequired()}
	}
	b.add("post", p+"/oauth/{provider}/token", native)
	b.add("post", p+"/oauth/{provider}/link", op{summary: "Start linking the provider to the signed-in user", auth: "access", revoked: true,
		params: []any{provider}, body: object(nil, obj{"next": str}), bodyOptional: true,
		ok: 200, okResp: jsonOK("open authorization_url to link; sets the transaction cookie", object([]string{"authorization_url"}, obj{"authorization_url": str})),
		errs: map[int][]string{404: {"not_found"}, 503: {"unavailable"}}})
	b.add("delete", p+"/oauth/{provider}/link", op{summary: "Unlink the provider (never the last way to sign in)", auth: "access", revoked: true,
		params: []any{provider}, ok: 204, okResp: empty("unlinked"),
		errs: map[int][]string{404: {"not_found"}, 409: {"account_conflict"}, 503: {"unavailable"}}})
	if !d.Cookie() {
		// The code only counts in the browser the callback set its binding
		// cookie in.
		exchange := op{summary: "Trade the callback's one-time code for tokens (single use, short-lived, bound to the browser by the __Host-oauth_code cookie the callback set)",
			body: object([]string{"code"}, obj{"code": str}), ok: 200, okResp: b.tokens("the new session's tokens"), cookies: []string{"__Host-oauth_code"},
			errs: map[int][]string{400: {"oauth_failed"}, 503: {"unavailable"}}}
		if d.MFA() {
			exchange.more = map[int]obj{401: b.mfaRequired()}
		}
		b.add("post", p+"/oauth/exchange", exchange)
	}
}

func (b *apiDoc) schemes() obj {
	d := b.d
	s := obj{"introspectionCaller": obj{"type": "http", "scheme": "bearer", "description": "one of the introspection secrets (Config.IntrospectionSecrets)"}}
	if d.Header() {
		s["bearer"] = obj{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
	}
	if d.Cookie() {
		s["accessCookie"] = obj{"type": "apiKey", "in": "cookie", "name": "__Host-access_token"}
		s["csrfHeader"] = obj{"type": "apiKey", "in": "header", "name": "X-CSRF-Token"}
	}
	return s
}

func (b *apiDoc) schemas() obj {
	d := b.d
	integer := obj{"type": "integer"}
	headerTokens := object([]string{"access", "refresh", "token_type", "expires_in", "refresh_expires_in"},
		obj{"access": str, "refresh": str, "token_type": obj{"const": "Bearer"}, "expires_in": integer, "refresh_expires_in": integer,
			"device_token": obj{"type": "string", "description": "after a password login: send it back as device_token in later logins"}})
	cookieTokens := object([]string{"token_type", "expires_in", "refresh_expires_in", "csrf_token"},
		obj{"token_type": obj{"const": "cookie"}, "expires_in": integer, "refresh_expires_in": integer, "csrf_token": str})
	var tokens obj
	switch {
	case d.Header() && d.Cookie():
		tokens = obj{"oneOf": []any{headerTokens, cookieTokens}}
	case d.Cookie():
		tokens = cookieTokens
	default:
		tokens = headerTokens
	}
	s := obj{
		"Error": object([]string{"error", "detail"}, obj{"error": str, "detail": str}),
		"LoginRequest": object([]string{"password"}, obj{"username": str, "email": str, "password": str, "audience": str,
			"device_token": obj{"type": "string", "description": "header clients: the device_token of an earlier login"}}),
		"TokenResponse": tokens,
		"Me":            object([]string{"user_id", "claims"}, obj{"user_id": str, "claims": obj{"type": "object"}}),
		"JWKS":          object([]string{"keys"}, obj{"keys": obj{"type": "array", "items": obj{"type": "object"}}}),
		"Introspection": object([]string{"active"}, obj{"active": obj{"type": "boolean"}, "scope": str, "token_type": str,
			"exp": integer, "iat": integer, "nbf": integer, "sub": str, "aud": obj{"type": "array", "items": str}, "iss": str, "jti": str, "sid": str}),
	}
	if d.Accounts() {
		s["Session"] = object([]string{"id", "created_at", "last_used_at", "user_agent", "ip", "current"}, obj{"id": str,
			"created_at": obj{"type": "string", "format": "date-time"}, "last_used_at": obj{"type": "string", "format": "date-time"},
			"user_agent": str, "ip": str, "current": obj{"type": "boolean"}})
	}
	if d.MFA() {
		s["MFARequired"] = object([]string{"error", "detail", "mfa_token", "methods"}, obj{"error": obj{"const": "mfa_required"}, "detail": str,
			"mfa_token": obj{"type": "string", "description": "single use, 5 minutes, carries no access"},
			"methods":   obj{"type": "array", "items": obj{"enum": []string{"totp", "recovery_code", "webauthn"}}}})
		s["Passkey"] = object([]string{"id", "name", "created_at", "backup_eligible", "backup_state"}, obj{"id": str, "name": str,
			"created_at": obj{"type": "string", "format": "date-time"}, "last_used_at": obj{"type": "string", "format": "date-time"},
			"backup_eligible": obj{"type": "boolean"}, "backup_state": obj{"type": "boolean"}, "transports": obj{"type": "array", "items": str}})
	}
	return s
}
