from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.preferences import email_enabled, notice_kinds_for


class NotificationPreferencesForm(forms.Form):
    """Which kinds of notice also come by e-mail (in-app notices are always shown)."""

    email_events = forms.MultipleChoiceField(
        label=_("Also send me an e-mail for"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("You always see every notice in the portal; untick a kind to stop the e-mail copies."),
    )

    def __init__(self, *args, user, submit_name: str = "save_notifications", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        kinds = notice_kinds_for(user)
        self.fields["email_events"].choices = kinds
        self.fields["email_events"].initial = [k for k, _label in kinds if email_enabled(user=user, event=k)]
        self.helper = FormHelper()
        self.helper.form_id = "notification-preferences"
        self.helper.add_input(Submit(submit_name, _("Save notification settings")))
