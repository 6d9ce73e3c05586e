"""Curators import reference files in the browser: upload, preview what would happen to each
record, choose which to accept and where they go, then commit, all or nothing.

The uploaded files wait between preview and commit in a private temporary folder of the
curator's own (named by a random token that only their session knows), and expire after an
hour. The commit reads them again and runs the same importer pipeline the `peerhub import`
command runs (importers.pipeline), so the browser and the command cannot disagree."""

import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from peerhub.core.forms import NHSFormMixin
from peerhub.core.permissions import curator_required
from peerhub.library.importers.formats import FORMATS, SUPPORTED, read_bytes
from peerhub.library.importers.pipeline import ImportFailed, Outcome, import_records, plan_import
from peerhub.library.importers.records import ImportFileError

MAX_FILE_BYTES = 5 * 1024 * 1024  # a 5 MB export holds a few thousand records: plenty to check by eye
MAX_FILES = 10
PREVIEW_SECONDS = 60 * 60
SESSION_KEY = "library_import_previews"
DONE_KEY = "library_import_done"
UPLOAD_ROOT = Path(tempfile.gettempdir()) / "peerhub-import-previews"
TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
DESTINATIONS = {"queue": "Send them to the curator queue", "publish": "Publish them directly (a trusted batch)"}
STATUS_WORDS = {Outcome.NEW: "New", Outcome.MERGED: "Duplicate of a catalogue record",
                Outcome.DUPLICATE: "Duplicate within the upload", Outcome.ERROR: "Error"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's recipe for one input that takes several files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise forms.ValidationError("Choose one or more files to import.", code="required")
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ImportUploadForm(NHSFormMixin, forms.Form):
    files = MultipleFileField(
        label="Reference files",
        help_text=f"Up to {MAX_FILES} files of {MAX_FILE_BYTES // (1024 * 1024)} MB each: {SUPPORTED}. We tell the "
                  "format from what is in the file, not its name.",
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"Choose at most {MAX_FILES} files at a time (you chose {len(files)}).")
        too_big = [f.name for f in files if f.size > MAX_FILE_BYTES]
        if too_big:
            raise forms.ValidationError(f"{', '.join(too_big)} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB. "
                                        "Split it into smaller exports.")
        return files


# The curator's private upload folder ------------------------------------------------------------

def _user_folder(user) -> Path:
    return UPLOAD_ROOT / str(user.pk)


def _previews(request) -> dict:
    """This session's previews, with expired ones (and their files) removed."""
    previews = request.session.get(SESSION_KEY, {})
    now = time.time()
    for token in [t for t, p in previews.items() if now - p["created"] > PREVIEW_SECONDS]:
        shutil.rmtree(_user_folder(request.user) / token, ignore_errors=True)
        del previews[token]
    return previews


def _save_preview(request, uploads: list[tuple[str, bytes]]) -> str:
    token = secrets.token_urlsafe(18)
    folder = _user_folder(request.user) / token
    folder.mkdir(parents=True, mode=0o700)
    for number, (_name, data) in enumerate(uploads):
        (folder / str(number)).write_bytes(data)
    previews = _previews(request)
    previews[token] = {"names": [name for name, _data in uploads], "created": time.time()}
    request.session[SESSION_KEY] = previews
    return token


def _forget_preview(request, token: str) -> None:
    shutil.rmtree(_user_folder(request.user) / token, ignore_errors=True)
    previews = _previews(request)
    previews.pop(token, None)
    request.session[SESSION_KEY] = previews


def _stored_uploads(request, token: str) -> list[tuple[str, bytes]] | None:
    """The files of a preview this curator's session started, or None if it is unknown or expired."""
    preview = _previews(request).get(token) if set(token) <= TOKEN_CHARS else None
    if preview is None:
        return None
    folder = _user_folder(request.user) / token
    try:
        return [(name, (folder / str(n)).read_bytes()) for n, name in enumerate(preview["names"])]
    except OSError:
        return None


# Reading and planning -------------------------------------------------------------------------

def _unique_names(names: list[str]) -> list[str]:
    """Positions name the file, so two uploads called export.ris become 1-export.ris and 2-export.ris."""
    return [name if names.count(name) == 1 else f"{n}-{name}" for n, name in enumerate(names, start=1)]


def _parse_all(uploads: list[tuple[str, bytes]]) -> tuple[list, list[str]]:
    parsed, failures = [], []
    for name, data in uploads:
        try:
            parsed.append(read_bytes(data, name))
        except ImportFileError as error:
            failures.append(f"{name}: {error}")
    return parsed, failures


def _record_key(position, file_numbers: dict[str, int]) -> str:
    return f"{file_numbers[position.file]}-{position.index}"


@dataclass
class PreviewRow:
    key: str
    position: str
    status: str
    status_words: str
    title: str
    reason: str
    warnings: list[str]
    selectable: bool
    checked: bool


def _rows(plan, file_numbers: dict[str, int], chosen: set[str] | None) -> list[PreviewRow]:
    rows = []
    for outcome in plan.outcomes:
        key = _record_key(outcome.position, file_numbers)
        selectable = outcome.status != Outcome.ERROR
        checked = selectable and (key in chosen if chosen is not None else outcome.status == Outcome.NEW)
        rows.append(PreviewRow(key, str(outcome.position), str(outcome.status), STATUS_WORDS[outcome.status],
                               outcome.title, outcome.reason, outcome.warnings, selectable, checked))
    return rows


def _plan(parsed: list):
    records = [r for p in parsed for r in p.records]
    problems = [problem for p in parsed for problem in p.problems]
    return records, plan_import(records, problems=problems)


# Views ------------------------------------------------------------------------------------------

@curator_required
@require_http_methods(["GET", "POST"])
def upload(request):
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if form.is_bound and form.is_valid():
        files = form.cleaned_data["files"]
        uploads = list(zip(_unique_names([f.name for f in files]), [f.read() for f in files], strict=True))
        _parsed, failures = _parse_all(uploads)
        if not failures:
            return redirect("curate:import_preview", token=_save_preview(request, uploads))
        for failure in failures:
            form.add_error("files", f"{failure} Nothing was uploaded.")
    return render(request, "library/import_upload.html", {"form": form, "formats": FORMATS.values()})


def _expired(request):
    context = {"form": ImportUploadForm(), "formats": FORMATS.values(),
               "notice": "That preview has expired or was already imported. Upload the files again."}
    return render(request, "library/import_upload.html", context, status=410)


def _preview_page(request, token, parsed, plan, *, chosen=None, destination="queue", error="", status=200):
    file_numbers = {p.name: n for n, p in enumerate(parsed)}
    rows = _rows(plan, file_numbers, chosen)
    files = [(p, FORMATS[p.format].label) for p in parsed]
    context = {"token": token, "files": files, "rows": rows, "counts": plan_counts(rows), "error": error,
               "destinations": DESTINATIONS, "destination": destination, "formats": FORMATS}
    return render(request, "library/import_preview.html", context, status=status)


def plan_counts(rows: list[PreviewRow]) -> dict[str, int]:
    counts = {"new": 0, "duplicate": 0, "error": 0}
    for row in rows:
        counts["new" if row.status == Outcome.NEW else "error" if row.status == Outcome.ERROR else "duplicate"] += 1
    return counts


@curator_required
@require_http_methods(["GET", "POST"])
def preview(request, token: str):
    uploads = _stored_uploads(request, token)
    if uploads is None:
        return _expired(request)
    parsed, _failures = _parse_all(uploads)  # they were read once already, so they read again
    records, plan = _plan(parsed)
    if request.method == "GET":
        return _preview_page(request, token, parsed, plan)
    return _commit(request, token, parsed, records, plan)


def _commit(request, token, parsed, records, plan):
    chosen = set(request.POST.getlist("accept"))
    destination = request.POST.get("destination", "")
    file_numbers = {p.name: n for n, p in enumerate(parsed)}
    accepted = [r for r in records if _record_key(r.position, file_numbers) in chosen]
    problem = _commit_problem(accepted, destination)
    if problem:
        return _preview_page(request, token, parsed, plan, chosen=chosen, destination=destination or "queue",
                             error=problem, status=400)
    try:
        report = import_records(accepted, actor=request.user, publish=destination == "publish",
                                formats={p.name: p.format for p in parsed})
    except ImportFailed as failure:
        return _preview_page(request, token, parsed, plan, chosen=chosen, destination=destination,
                             error=f"The import failed and nothing was saved: {failure}.", status=400)
    _forget_preview(request, token)
    counts = report.counts()
    request.session[DONE_KEY] = {"new": counts[Outcome.NEW], "merged": counts[Outcome.MERGED],
                                 "in_upload": counts[Outcome.DUPLICATE], "published": report.publish}
    return redirect("curate:import_done")


def _commit_problem(accepted: list, destination: str) -> str:
    if destination not in DESTINATIONS:
        return "Choose where the records go: the curator queue, or published directly."
    if not accepted:
        return "Choose at least one record to import, or upload different files."
    return ""


@curator_required
@require_http_methods(["GET"])
def done(request):
    summary = request.session.pop(DONE_KEY, None)
    if summary is None:
        return redirect("curate:import_upload")
    return render(request, "library/import_done.html", {"summary": summary})
