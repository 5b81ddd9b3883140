package generator

import (
	"encoding/json"
	"strconv"
)

// openAPI builds the OpenAPI 3.1 document of exactly the endpoints the
// package of d serves (docs/api.md is the prose of the same). Templates
// call it as {{openapi .}}: a JSON document is data, assembled here rather
// than with template conditionals and commas.
func openAPI(d *data) (string, error) {
	type obj = map[string]any
	ref := func(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }
	jsonBody := func(schema obj) obj { return obj{"application/json": obj{"schema": schema}} }
	errorResp := func(desc string) obj { return obj{"description": desc, "content": jsonBody(ref("Error"))} }

	errs := map[int]string{
		400: "invalid_request: malformed JSON or missing fields",
		401: "the credentials or the token are not valid (invalid_credentials, token_not_valid, token_expired, token_revoked, token_reused)",
		403: "csrf_failed: a cookie-authenticated request without a valid X-CSRF-Token, or a cross-site request",
		404: "not_found",
		409: "account_conflict",
		413: "payload_too_large",
		415: "unsupported_media_type: the body must be application/json",
		429: "rate_limited: see Retry-After",
		503: "unavailable: the store or the provider cannot be reached; see Retry-After",
	}
	responses := func(ok string, okResp obj, codes ...int) obj {
		r := obj{ok: okResp}
		for _, c := range codes {
			if c == 403 && !d.Cookie() {
				continue
			}
			r[strconv.Itoa(c)] = errorResp(errs[c])
		}
		r["405"] = errorResp("method_not_allowed: see Allow")
		return r
	}
	tokenResponse := obj{"description": "a new session's or a rotated session's tokens; Cache-Control: no-store", "content": jsonBody(ref("TokenResponse"))}
	var security []any
	if d.Header() {
		security = append(security, obj{"bearer": []any{}})
	}
	if d.Cookie() {
		security = append(security, obj{"accessCookie": []any{}, "csrfHeader": []any{}})
	}
	op := func(summary string, body obj, resp obj, secured bool) obj {
		o := obj{"summary": summary, "responses": resp}
		if body != nil {
			o["requestBody"] = obj{"required": true, "content": jsonBody(body)}
		}
		if secured {
			o["security"] = security
		}
		return o
	}
	p := d.Prefix
	paths := obj{
		p + "/token": obj{"post": op("Log in with a username (or email) and password",
			ref("LoginRequest"), responses("200", tokenResponse, 400, 401, 413, 415, 429, 503), false)},
		p + "/token/verify": obj{"post": op("Check an access token",
			obj{"type": "object", "properties": obj{"token": obj{"type": "string"}}, "required": []string{"token"}},
			responses("200", obj{"description": "the token is valid", "content": jsonBody(obj{"type": "object"})}, 400, 401, 413, 415), false)},
		p + "/logout/all": obj{"post": op("Revoke every session of the signed-in user", nil,
			responses("204", obj{"description": "every session is revoked"}, 401, 403, 503), true)},
		p + "/me": obj{"get": op("The signed-in user", nil,
			responses("200", obj{"description": "the user and the access token's claims", "content": jsonBody(ref("Me"))}, 401, 503), true)},
		p + "/openapi.json": obj{"get": obj{"summary": "This document", "responses": obj{
			"200": obj{"description": "the OpenAPI document of this package's endpoints", "content": obj{"application/json": obj{"schema": obj{"type": "object"}}}},
			"405": errorResp("method_not_allowed")}}},
	}
	refresh := op("Rotate the refresh token", nil, responses("200", tokenResponse, 400, 401, 403, 413, 415, 429, 503), false)
	logout := op("End this session", nil, responses("204", obj{"description": "the session is revoked"}, 400, 401, 403, 413, 415, 503), false)
	if d.Header() {
		refreshBody := obj{"type": "object", "properties": obj{"refresh": obj{"type": "string"}}}
		if !d.Cookie() {
			refreshBody["required"] = []string{"refresh"}
		}
		refresh["requestBody"] = obj{"required": !d.Cookie(), "content": jsonBody(refreshBody)}
		logout["requestBody"] = obj{"required": false, "content": jsonBody(obj{"type": "object", "properties": obj{"refresh": obj{"type": "string"}}})}
	}
	paths[p+"/token/refresh"] = obj{"post": refresh}
	paths[p+"/logout"] = obj{"post": logout}
	if d.Asymmetric() {
		paths["/.well-known/jwks.json"] = obj{"get": obj{"summary": "The public keys that verify access tokens", "responses": obj{
			"200": obj{"description": "JWKS (RFC 7517)", "content": jsonBody(ref("JWKS"))},
			"405": errorResp("method_not_allowed")}}}
	} else {
		paths["/.well-known/jwks.json"] = obj{"get": obj{"summary": "No public keys: HS256 keys are shared secrets", "responses": obj{
			"404": errorResp("not_found: a shared secret is never published"),
			"405": errorResp("method_not_allowed")}}}
	}
	if d.OAuth() {
		var names []string
		for _, pr := range d.Providers {
			names = append(names, pr.Name)
		}
		provider := obj{"name": "provider", "in": "path", "required": true, "schema": obj{"type": "string", "enum": names}}
		redirect := func(desc string) obj {
			return obj{"description": desc, "headers": obj{"Location": obj{"schema": obj{"type": "string"}}}}
		}
		callbackDone := "cookie transport: to next with the auth cookies; header transport: to next?code=ONE_TIME_CODE"
		if d.Header() && d.Cookie() {
			callbackDone = "to next with the auth cookies"
		}
		callback := obj{"parameters": []any{provider}, "get": obj{"summary": "The provider's redirect back", "responses": obj{
			"303": redirect(callbackDone), "400": errorResp("oauth_failed"), "404": errorResp(errs[404]), "409": errorResp(errs[409]), "405": errorResp("method_not_allowed")}}}
		if d.FormPostCallbacks() {
			callback["post"] = obj{"summary": "The provider's form_post callback", "responses": obj{
				"303": redirect(callbackDone), "400": errorResp("oauth_failed"), "404": errorResp(errs[404]), "409": errorResp(errs[409])}}
		}
		paths[p+"/oauth/{provider}"] = obj{"parameters": []any{provider}, "get": obj{"summary": "Start a social sign-in",
			"parameters": []any{obj{"name": "next", "in": "query", "schema": obj{"type": "string"}}},
			"responses": obj{"302": redirect("to the provider; sets the transaction cookie"), "400": errorResp(errs[400]),
				"404": errorResp(errs[404]), "429": errorResp(errs[429]), "503": errorResp(errs[503]), "405": errorResp("method_not_allowed")}}}
		paths[p+"/oauth/{provider}/callback"] = callback
		paths[p+"/oauth/{provider}/token"] = obj{"parameters": []any{provider}, "post": op("Native sign-in with an ID token or an authorization code",
			obj{"type": "object", "properties": obj{"id_token": obj{"type": "string"}, "nonce": obj{"type": "string"},
				"code": obj{"type": "string"}, "code_verifier": obj{"type": "string"}, "redirect_uri": obj{"type": "string"}}},
			responses("200", tokenResponse, 400, 404, 409, 413, 415, 429, 503), false)}
		paths[p+"/oauth/{provider}/link"] = obj{"parameters": []any{provider},
			"post": op("Start linking the provider to the signed-in user", nil, responses("200", obj{"description": "open authorization_url to link",
				"content": jsonBody(obj{"type": "object", "properties": obj{"authorization_url": obj{"type": "string"}}, "required": []string{"authorization_url"}})}, 401, 403, 404, 503), true),
			"delete": op("Unlink the provider", nil, responses("204", obj{"description": "unlinked"}, 401, 403, 404, 409, 503), true)}
		if !d.Cookie() {
			paths[p+"/oauth/exchange"] = obj{"post": op("Trade the callback's one-time code for tokens",
				obj{"type": "object", "properties": obj{"code": obj{"type": "string"}}, "required": []string{"code"}},
				responses("200", tokenResponse, 400, 413, 415, 503), false)}
		}
	}

	str := obj{"type": "string"}
	integer := obj{"type": "integer"}
	headerTokens := obj{"type": "object", "required": []string{"access", "refresh", "token_type", "expires_in", "refresh_expires_in"},
		"properties": obj{"access": str, "refresh": str, "token_type": obj{"const": "Bearer"}, "expires_in": integer, "refresh_expires_in": integer}}
	cookieTokens := obj{"type": "object", "required": []string{"token_type", "expires_in", "refresh_expires_in", "csrf_token"},
		"properties": obj{"token_type": obj{"const": "cookie"}, "expires_in": integer, "refresh_expires_in": integer, "csrf_token": str}}
	var tokens obj
	switch {
	case d.Header() && d.Cookie():
		tokens = obj{"oneOf": []any{headerTokens, cookieTokens}}
	case d.Cookie():
		tokens = cookieTokens
	default:
		tokens = headerTokens
	}
	schemes := obj{}
	if d.Header() {
		schemes["bearer"] = obj{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
	}
	if d.Cookie() {
		schemes["accessCookie"] = obj{"type": "apiKey", "in": "cookie", "name": "__Host-access_token"}
		schemes["csrfHeader"] = obj{"type": "apiKey", "in": "header", "name": "X-CSRF-Token"}
	}
	doc := obj{
		"openapi": "3.1.0",
		"info": obj{"title": d.Package + ": authentication API", "version": "1",
			"description": "Sessions with rotating refresh tokens, logout that revokes, and the endpoints of the options this package was generated with. Errors are {\"error\", \"detail\"}."},
		"paths": paths,
		"components": obj{
			"securitySchemes": schemes,
			"schemas": obj{
				"Error": obj{"type": "object", "required": []string{"error", "detail"}, "properties": obj{"error": str, "detail": str}},
				"LoginRequest": obj{"type": "object", "required": []string{"password"},
					"properties": obj{"username": str, "email": str, "password": str}},
				"TokenResponse": tokens,
				"Me":            obj{"type": "object", "required": []string{"user_id", "claims"}, "properties": obj{"user_id": str, "claims": obj{"type": "object"}}},
				"JWKS":          obj{"type": "object", "required": []string{"keys"}, "properties": obj{"keys": obj{"type": "array", "items": obj{"type": "object"}}}},
			},
		},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return "", err
	}
	return string(b) + "\n", nil
}
