"""The code forms. Every field names its help text and its error container in aria-describedby,
so a screen reader reads both; Django marks a field with errors aria-invalid."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import two_factor


class DescribedFieldsMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            ids = [f"id_{name}-helptext"] if field.help_text else []
            field.widget.attrs["aria-describedby"] = " ".join([*ids, f"id_{name}-errors"])


class AuthenticatorCodeForm(DescribedFieldsMixin, forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6 digits your app shows now for this site. A new code appears every 30 seconds."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, device, *args, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_otp_token(self):
        code = two_factor.normalise_authenticator_code(self.cleaned_data["otp_token"])
        if not (code.isdigit() and len(code) == self.device.digits):
            raise forms.ValidationError(
                ngettext(
                    "Enter the %(digits)d digit that your app shows.",
                    "Enter the %(digits)d digits that your app shows.",
                    self.device.digits,
                )
                % {"digits": self.device.digits}
            )
        error = two_factor.check_code(self.device, code)
        if error:
            raise forms.ValidationError(error)
        return code


class RecoveryCodeForm(DescribedFieldsMixin, forms.Form):
    recovery_code = forms.CharField(
        label=_("Recovery code"),
        help_text=_("One of the codes you saved when you set up two-factor authentication. Each works once."),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )

    def __init__(self, device, *args, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_recovery_code(self):
        code = two_factor.normalise_recovery_code(self.cleaned_data["recovery_code"])
        error = (
            two_factor.check_code(
                self.device, code, wrong_code_message=_("That recovery code is not right. Check it and try again.")
            )
            if self.device
            else _("You have no recovery codes left. Ask an Administrator to reset your two-factor authentication.")
        )
        if error:
            raise forms.ValidationError(error)
        return code
