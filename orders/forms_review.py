"""Forms of the order page: a message on the order, the partner's cancellation."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.services.comments import COMMENT_MAX_LENGTH
from orders.services.review import REASON_MAX_LENGTH


def form_error_sentences(form: forms.Form) -> list[str]:
    """The form's errors as sentences naming their field, for a page that shows them as messages."""
    sentences = []
    for name, errors in form.errors.items():
        for error in errors:
            if name in form.fields:
                sentences.append(_("%(field)s : %(error)s") % {"field": form.fields[name].label, "error": error})
            else:
                sentences.append(error)
    return sentences


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


class CancelForm(forms.Form):
    """The partner's cancellation: an optional reason, told to sales administration."""

    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Le motif est trop long (%(limit_value)d caractères au plus).")},
    )
