"""Import a draft legal document from a .txt (UTF-8) or .docx file as a DraftPage."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from drafts.importing import ImportFailed, ImportMessage, ParseResult, check_size, parse_upload
from drafts.models import Agency, ConsultationIndexPage, DocumentType
from drafts.services import draft_create

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s must be a date written YYYY-MM-DD, not “%(value)s”.")
            % {"option": option, "value": value}
        ) from None


class Command(BaseCommand):
    help = (
        "Import a draft legal document (.txt in UTF-8, or .docx) into a new DraftPage: "
        "Phần, Chương, Mục, Điều, khoản and điểm are recognised from the text. With --dry-run "
        "nothing is written and the counts are shown (--json: one JSON object on stdout)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .txt or .docx file to import.")
        parser.add_argument("--agency", help="Code of the drafting agency (e.g. BVHTTDL).")
        parser.add_argument("--title", help="Title of the draft (default: the file name).")
        parser.add_argument(
            "--type",
            dest="document_type",
            default=DocumentType.LAW,
            help=f"Document type: one of {', '.join(DocumentType.values)} (default: luat).",
        )
        parser.add_argument("--number", default="", help="Number or code, e.g. 05/2022/QH15.")
        parser.add_argument("--opens", help="First day of the consultation (YYYY-MM-DD).")
        parser.add_argument("--closes", help="Last day of the consultation (YYYY-MM-DD).")
        parser.add_argument("--publish", action="store_true", help="Publish the page at once.")
        parser.add_argument("--dry-run", action="store_true", help="Parse only; write nothing.")
        parser.add_argument(
            "--json", action="store_true", help="Print the result as one JSON object on stdout."
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        result = self.parse(path)
        self.report_warnings(result.warnings)

        if options["dry_run"]:
            if options["json"]:
                self.stdout.write(json.dumps(result.counts))
            else:
                self.stdout.write(self.summary(path, result))
            return

        agency = self.agency(options["agency"])
        parent = ConsultationIndexPage.objects.live().first()
        if parent is None:
            raise CommandError(
                _(
                    "There is no live consultation home page (ConsultationIndexPage) to put the "
                    "draft under. Run “manage.py load_demo” or create the home page in the "
                    "admin first."
                )
            )
        document_type = options["document_type"]
        if document_type not in DocumentType.values:
            raise CommandError(
                _("Unknown document type “%(type)s”; use one of: %(choices)s.")
                % {"type": document_type, "choices": ", ".join(DocumentType.values)}
            )
        opens_at, closes_at = self.period(options["opens"], options["closes"])
        try:
            page = draft_create(
                parent=parent,
                agency=agency,
                title=options["title"] or path.stem,
                body=result.body,
                document_type=document_type,
                number=options["number"],
                opens_at=opens_at,
                closes_at=closes_at,
                publish=options["publish"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None

        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "id": page.pk,
                        "url_path": page.url_path,
                        "live": page.live,
                        "counts": result.counts,
                        "warnings": len(result.warnings),
                    }
                )
            )
            return
        self.stdout.write(self.summary(path, result))
        state = _("published") if page.live else _("saved as a draft, not published")
        self.stdout.write(
            self.style.SUCCESS(
                _("Created page %(id)d at %(path)s (%(state)s).")
                % {"id": page.pk, "path": page.url_path, "state": state}
            )
        )

    def parse(self, path: Path) -> ParseResult:
        try:
            check_size(path.stat().st_size)
            data = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(_("No such file: %(path)s") % {"path": path}) from None
        except IsADirectoryError:
            raise CommandError(_("%(path)s is a directory, not a file.") % {"path": path}) from None
        except ImportFailed as failure:
            self.fail(failure.errors)
        try:
            result = parse_upload(data, path.name)
        except ImportFailed as failure:
            self.fail(failure.errors)
        if not result.ok:
            self.report_warnings(result.warnings)
            self.fail(result.errors)
        return result

    def fail(self, errors: list[ImportMessage]) -> NoReturn:
        for error in errors:
            self.stderr.write(self.style.ERROR(str(error)))
        raise CommandError(
            _("Nothing was imported: %(count)d error(s). First: %(first)s")
            % {"count": len(errors), "first": errors[0]}
        )

    def report_warnings(self, warnings: list[ImportMessage]) -> None:
        for warning in warnings:
            self.stderr.write(self.style.WARNING(_("Warning: %(warning)s") % {"warning": warning}))

    def summary(self, path: Path, result: ParseResult) -> str:
        counts = result.counts
        return _(
            "%(name)s: %(parts)d parts, %(chapters)d chapters, %(sections)d sections, "
            "%(subsections)d subsections, %(articles)d articles, %(clauses)d clauses, "
            "%(points)d points, %(alternatives)d alternatives (Phương án), "
            "%(paragraphs)d paragraphs; %(warnings)d warning(s)."
        ) % {**counts, "name": path.name, "warnings": len(result.warnings)}

    def agency(self, code: str | None) -> Agency:
        known = ", ".join(Agency.objects.order_by("code").values_list("code", flat=True))
        if not code:
            raise CommandError(
                _("--agency is required (the drafting agency's code). Known codes: %(codes)s.")
                % {"codes": known or _("none yet")}
            )
        agency = Agency.objects.filter(code=code.upper()).first()
        if agency is None:
            raise CommandError(
                _("No agency with code “%(code)s”. Known codes: %(codes)s.")
                % {"code": code, "codes": known or _("none yet")}
            )
        return agency

    def period(
        self, opens: str | None, closes: str | None
    ) -> tuple[datetime | None, datetime | None]:
        """Consultation dates in Vietnam's time zone: from 00:00 of the first day to the end
        of the last."""
        opens_at = closes_at = None
        if opens:
            opens_at = datetime.combine(_day(opens, "--opens"), time.min, tzinfo=VIETNAM)
        if closes:
            closes_at = datetime.combine(_day(closes, "--closes"), time(23, 59, 59), tzinfo=VIETNAM)
        if closes_at is not None:
            start = opens_at or datetime.now(tz=VIETNAM)
            if closes_at <= start:
                raise CommandError(
                    _("The consultation must close after it opens (--closes %(closes)s).")
                    % {"closes": closes}
                )
        return opens_at, closes_at
