import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateTimeInput

from drafts.models import Agency, DocumentType
from econsult.forms import TypedTextFormMixin

# The site shows dates as 01/12/2026 08:00 (Asia/Ho_Chi_Minh): the picker writes them so too.
# Wagtail's own default (2026-12-01 08:00), and seconds or a "T" from a pasted value, are read
# as well; dd/mm comes first, so 01/12 is always the 1st of December.
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DATETIME_INPUT_FORMATS = [
    DATETIME_FORMAT,
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
]

# An upload kept between two tries of the import form (see DraftImportForm).
HELD_UPLOAD_MAX_AGE = 60 * 60  # seconds
_HELD_UPLOAD_SALT = "drafts.import.held-upload"
_HELD_KEY = re.compile(r"\A[0-9a-f]{32}\Z")


def _held_uploads_dir() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "import-held"


def held_upload_store(*, upload, user) -> str:
    """Keep an upload on the server for HELD_UPLOAD_MAX_AGE and return the signed token that
    names it. Only `user` can fetch it back; older kept uploads are removed on the way."""
    folder = _held_uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    limit = time.time() - HELD_UPLOAD_MAX_AGE
    for old in folder.iterdir():
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except FileNotFoundError:  # another request reaped it first
            pass
    key = secrets.token_hex(16)
    upload.seek(0)
    (folder / key).write_bytes(upload.read())
    upload.seek(0)
    return signing.dumps({"key": key, "user": user.pk, "name": upload.name}, salt=_HELD_UPLOAD_SALT)


def _held_upload_path(*, token: str, user) -> tuple[Path, str] | None:
    try:
        payload = signing.loads(token, salt=_HELD_UPLOAD_SALT, max_age=HELD_UPLOAD_MAX_AGE)
    except signing.BadSignature:  # also an expired token
        return None
    if not isinstance(payload, dict) or payload.get("user") != user.pk:
        return None
    key = str(payload.get("key", ""))
    if not _HELD_KEY.match(key):
        return None
    path = _held_uploads_dir() / key
    return (path, str(payload.get("name") or "upload.txt")) if path.is_file() else None


def held_upload_fetch(*, token: str, user) -> SimpleUploadedFile | None:
    """The upload `held_upload_store` kept under `token`, if `user` kept it and it is still
    there; None otherwise (a token made for someone else, tampered with or expired)."""
    found = _held_upload_path(token=token, user=user)
    if found is None:
        return None
    path, name = found
    return SimpleUploadedFile(name, path.read_bytes())


def held_upload_discard(*, token: str, user) -> None:
    """Remove the upload kept under `token` (only `user`'s own)."""
    found = _held_upload_path(token=token, user=user)
    if found is not None:
        found[0].unlink(missing_ok=True)


class DraftImportForm(TypedTextFormMixin, forms.Form):
    """Upload a .docx or .txt, or paste the text, to build a draft's body.

    An upload is never lost to an error elsewhere on the form (a date, the title): when the
    form is shown again, `hold_upload()` keeps the file on the server, under PRIVATE_MEDIA_ROOT
    for an hour, and the form carries only a signed token naming it (`held_file`); the next
    submit without a new file imports the kept one. The bytes stay on the server rather than
    going back into the page (a browser cannot refill a file input, and a 10 MB .docx in a
    hidden field would travel twice); the token is signed with the user's id, so it names
    nothing for anyone else, and its random key cannot be guessed or altered. A new file
    replaces the kept one; "forget" drops it (e.g. to paste text instead).
    """

    file = forms.FileField(
        label=_("File (.docx or .txt)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt,text/plain"}),
    )
    held_file = forms.CharField(required=False, widget=forms.HiddenInput)
    forget_held_file = forms.BooleanField(
        label=_("Forget the file kept from before"), required=False
    )
    text = forms.CharField(
        label=_("…or paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    agency = forms.ModelChoiceField(label=_("Drafting agency"), queryset=Agency.objects.none())
    document_type = forms.ChoiceField(
        label=_("Document type"), choices=DocumentType.choices, initial=DocumentType.LAW
    )
    number = forms.CharField(label=_("Number or code"), max_length=64, required=False)
    opens_at = forms.DateTimeField(
        label=_("Consultation opens"),
        required=False,
        widget=AdminDateTimeInput(format=DATETIME_FORMAT),
        input_formats=DATETIME_INPUT_FORMATS,
        help_text=_("As 01/12/2026 08:00, Vietnam time."),
    )
    closes_at = forms.DateTimeField(
        label=_("Consultation closes"),
        required=False,
        widget=AdminDateTimeInput(format=DATETIME_FORMAT),
        input_formats=DATETIME_INPUT_FORMATS,
        help_text=_("As 01/12/2026 08:00, Vietnam time."),
    )

    NEXT_VERSION, SAME_VERSION = "next", "same"
    # Not given (an older form, a script): the next version, the usual case.
    as_version = forms.ChoiceField(
        label=_("The imported text is"), widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, agencies, user, target=None, published_number=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        self.user = user
        self.fields["agency"].queryset = agencies
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
        if target is not None:
            # Replacing the body of an existing draft: its details stay as they are.
            for name in ("title", "agency", "document_type", "number", "opens_at", "closes_at"):
                del self.fields[name]
        else:
            self.fields["title"].required = True
        if published_number is None:
            del self.fields["as_version"]
        else:
            # A published draft: the text is Dự thảo N+1, or a correction of Dự thảo N.
            self.fields["as_version"].choices = [
                (
                    self.NEXT_VERSION,
                    _("the next draft version, Dự thảo %(n)d (Dự thảo %(old)d stays readable)")
                    % {"n": published_number + 1, "old": published_number},
                ),
                (
                    self.SAME_VERSION,
                    _("a corrected text of Dự thảo %(n)d, replacing it") % {"n": published_number},
                ),
            ]
            self.fields["as_version"].initial = self.NEXT_VERSION
        self._show_held(self.data.get("held_file") if self.is_bound else "")

    def _show_held(self, token: str | None) -> None:
        """Say which file is kept, or hide the "forget" box when none is."""
        found = _held_upload_path(token=token, user=self.user) if token else None
        for name in ("file", "forget_held_file"):  # bound fields copy the help text
            self._bound_fields_cache.pop(name, None)
        if found is None:
            self.fields["forget_held_file"].widget = forms.HiddenInput()
            self.fields["file"].help_text = ""
            return
        self.fields["forget_held_file"].widget = forms.CheckboxInput()
        self.fields["file"].help_text = _(
            "Kept from your last try: %(name)s. Choose another file only to replace it."
        ) % {"name": found[1]}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        token = self.data.get("held_file") or ""
        if upload or not token or self._forget_ticked():
            return upload
        held = held_upload_fetch(token=token, user=self.user)
        if held is None:
            raise forms.ValidationError(
                _("The file chosen before is no longer kept: choose it again.")
            )
        return held

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if upload and text:
            raise forms.ValidationError(_("Upload a file or paste text, not both."))
        if not upload and not text:
            raise forms.ValidationError(_("Upload a .docx or .txt file, or paste the text."))
        if upload and upload.size > settings.DRAFT_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
                % {
                    "size": upload.size / 1024 / 1024,
                    "limit": settings.DRAFT_IMPORT_MAX_BYTES / 1024 / 1024,
                }
            )
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The consultation must close after it opens."))
        return data

    def _forget_ticked(self) -> bool:
        name = self.add_prefix("forget_held_file")
        return bool(forms.CheckboxInput().value_from_datadict(self.data, self.files, name))

    def hold_upload(self) -> None:
        """Before the form is shown again: keep its upload (a new one, or the one already kept)
        for the next submit. Nothing is kept past the size limit or once "forget" is ticked."""
        if not self.is_bound:
            return
        old_token = self.data.get("held_file") or ""
        upload = self.files.get("file")
        data = self.data.copy()
        # An empty file, or one the file field itself refused, is not worth keeping.
        keep = (
            upload is not None
            and 0 < upload.size <= settings.DRAFT_IMPORT_MAX_BYTES
            and not self.has_error("file")
        )
        if keep:
            if old_token:
                held_upload_discard(token=old_token, user=self.user)
            data["held_file"] = held_upload_store(upload=upload, user=self.user)
        elif (
            upload is not None
            or self._forget_ticked()
            or (old_token and _held_upload_path(token=old_token, user=self.user) is None)
        ):
            if old_token:
                held_upload_discard(token=old_token, user=self.user)
            data["held_file"] = ""
        data["forget_held_file"] = ""
        self.data = data
        self._show_held(data.get("held_file", ""))

    def drop_upload(self) -> None:
        """Before the form is shown again after the file itself was refused (not a .docx or
        .txt, no article, unreadable): nothing is kept, the file input is empty."""
        if not self.is_bound:
            return
        if token := self.data.get("held_file"):
            held_upload_discard(token=token, user=self.user)
        data = self.data.copy()
        data["held_file"] = data["forget_held_file"] = ""
        self.data = data
        self._show_held("")

    def release_held_upload(self) -> None:
        """Once imported: the kept upload, if any, is removed."""
        if token := self.data.get("held_file"):
            held_upload_discard(token=token, user=self.user)

    @property
    def next_version(self) -> bool:
        """Whether the text is imported as the next draft version (False: in place)."""
        return self.cleaned_data.get("as_version") != self.SAME_VERSION

    def source(self) -> tuple[bytes, str]:
        """The bytes to import and a file name that tells their format."""
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(), upload.name
        return self.cleaned_data["text"].encode("utf-8"), "pasted.txt"
