"""How each account's identity was verified: by its e-mail address, or by the national
identity provider (OpenID Connect, e.g. VNeID) with the assurance level it asserted.

`identity_of(user)` and `is_verified(user, min_level=...)` answer the questions the rest of
the site asks (the "đã xác thực" badge on comments, consultations that require a verified
identity); the records are written from allauth's signals (econsult.identity.signals).
"""
