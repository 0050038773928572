"""Forms of the order page: a message on the order."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.services.comments import COMMENT_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Écrivez un message."),
            "max_length": _("Le message est trop long (%(limit_value)d caractères au plus)."),
        },
    )
    internal = forms.BooleanField(label=_("Note interne (jamais montrée au partenaire)"), required=False)
    # One key per displayed form: posting it twice (a double click) makes one message.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"submission_key": uuid.uuid4()})
        super().__init__(*args, **kwargs)
        if not getattr(user, "is_sales_admin", False):
            del self.fields["internal"]
