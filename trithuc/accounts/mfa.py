"""allauth MFA adapter: TOTP secrets encrypted at rest; staff cannot switch TOTP off."""

from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter

from trithuc.core import crypto


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Any) -> bool:
        # TOTP is required for every staff role; a staff member may re-enrol, not opt out.
        user = authenticator.user
        if authenticator.type == authenticator.Type.TOTP and (
            user.is_superuser or user.memberships.exists()
        ):
            return False
        return super().can_delete_authenticator(authenticator)
