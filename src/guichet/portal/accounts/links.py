"""The absolute URLs put in account emails, built from the host the person is using."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from guichet.organisation.models import User
from guichet.portal.accounts import tokens


@dataclass(frozen=True)
class AccountLinks:
    """Build the links of account emails for the site at ``base`` ("https://host")."""

    base: str

    @classmethod
    def for_request(cls, request: HttpRequest) -> AccountLinks:
        return cls(base=request.build_absolute_uri("/").rstrip("/"))

    def _url(self, name: str, *args: str) -> str:
        return self.base + reverse(name, args=args)

    def verification(self, user: User) -> str:
        return self._url("portal:account:verify", tokens.VERIFY_EMAIL.make(user))

    def magic_link(self, user: User) -> str:
        return self._url("portal:account:magic_link_open", tokens.MAGIC_LINK.make(user))

    def email_change(self, user: User, new_email: str) -> str:
        token = tokens.CHANGE_EMAIL.make(user, email=new_email)
        return self._url("portal:account:email_change_confirm", token)

    def login(self) -> str:
        return self._url("login")
