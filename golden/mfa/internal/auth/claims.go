package auth

import "context"

// CustomClaims are added to every access token. Add the fields your API
// needs to authorise a request without a database lookup, for example:
//
//	Roles []string `json:"roles,omitempty"`
//
// Anyone holding a token can read its payload: base64 is not encryption.
// Never put personal data (email, name, phone) or secrets here.
//
// The registered claims (iss, sub, aud, exp, nbf, iat, jti, sid, typ) cannot
// be overridden: New refuses a field that uses one of those names.
type CustomClaims struct{}

// customClaims fills CustomClaims for u when a token is issued: at login and
// at every refresh, so changes reach clients within the access token
// lifetime. An error fails the login or refresh with 503.
func customClaims(ctx context.Context, u *User) (CustomClaims, error) {
	return CustomClaims{}, nil
}
