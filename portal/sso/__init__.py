"""Single sign-on with an authority's OpenID Connect provider.

mozilla-django-oidc runs the protocol (authorization code flow with PKCE, state and nonce,
the token exchange and the ID token's signature); this package hands it the provider a
sign-in started with (`backend`, `discovery`), keeps client secrets encrypted
(`client_secrets`) and names the reasons a sign-in is refused (`refusals`).
"""
