"""The public sign-up form: allauth's, made to cost the same whether or not the address is registered.

allauth's enumeration prevention (ACCOUNT_PREVENT_ENUMERATION) already answers both cases with the same page
and one e-mail each ("confirm your address" / "you already have an account"). What it does not equalise is the
work: a new address costs a password hash (Django's PBKDF2, about a second here), a registered one did not, and
that difference told an attacker which addresses exist. So the registered path hashes the typed password too.

Kept out of accounts/forms.py: allauth builds its SignupForm on ACCOUNT_SIGNUP_FORM_CLASS from that module, so
subclassing allauth's form there would be a circular import.
"""

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password


class PortalSignupForm(SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or "")  # equal work; the hash is thrown away
        return super().try_save(request)
