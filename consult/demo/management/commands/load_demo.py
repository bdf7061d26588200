"""Demo data: agencies, three consultations from the corpus, an admin and an agency editor;
feedback on the open consultation, and on the closed one answers and a synthesis report.

Safe to run again: what exists is left as it is.
"""

from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from drafts.importing import parse_upload
from drafts.models import Agency, ConsultationIndexPage, DraftPage, DraftVersion
from drafts.services import draft_create, editor_group_ensure, home_page_ensure

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
LABOUR = "du-thao-2-bo-luat-lao-dong-sua-doi-2017.txt"
CINEMA = "luat-dien-anh-2022.txt"

AGENCIES = [
    ("Bộ Lao động - Thương binh và Xã hội", "LĐTBXH", "bo-lao-dong-thuong-binh-xa-hoi"),
    ("Bộ Văn hóa, Thể thao và Du lịch", "BVHTTDL", "bo-van-hoa-the-thao-du-lich"),
    ("Bộ Tư pháp", "BTP", "bo-tu-phap"),
]

ADMIN = ("admin", "admin@econsult.local", "econsult-admin")
EDITOR = ("bientap.ldtbxh", "bientap@ldtbxh.econsult.local", "econsult-bientap")
CLERK = ("vanthu.btp", "vanthu@btp.econsult.local", "econsult-vanthu")  # Bộ Tư pháp's staff
EDITOR_GROUP = "Biên tập viên cơ quan soạn thảo"


def _slice(text: str, start: str, stop: str) -> str:
    """The lines of `text` from the line equal to `start` up to the line equal to `stop`."""
    lines = text.splitlines()
    first = lines.index(start)
    last = lines.index(stop, first + 1)
    return "\n".join(lines[first:last]) + "\n"


class Command(BaseCommand):
    help = "Load demo agencies, consultations and accounts (safe to run twice)."

    def handle(self, *args, **options):
        with transaction.atomic():
            agencies = self._agencies()
            home = self._home()
            admin, editor = self._accounts(home, agencies["LĐTBXH"])
            clerk = self._clerk(home, agencies["BTP"])
        now = timezone.now()
        labour = (CORPUS / LABOUR).read_text(encoding="utf-8")
        cinema = (CORPUS / CINEMA).read_text(encoding="utf-8")
        drafts = [
            dict(
                slug="du-thao-bo-luat-lao-dong-sua-doi",
                title="Dự thảo Bộ luật Lao động (sửa đổi)",
                agency=agencies["LĐTBXH"],
                document_type="bo_luat",
                summary=(
                    "Dự thảo 2 Bộ luật Lao động (sửa đổi), ngày 21/3/2017: hợp đồng lao động, "
                    "tiền lương, thời giờ làm việc, tổ chức đại diện người lao động, tranh chấp "
                    "lao động và tuổi nghỉ hưu. Mời người dân, doanh nghiệp, tổ chức góp ý trên "
                    "từng điều, khoản, điểm."
                ),
                text=labour,
                opens_at=now - timedelta(days=10),
                closes_at=now + timedelta(days=50),
                number="",
                allow_anonymous=True,
            ),
            dict(
                slug="du-thao-nghi-dinh-tien-luong",
                title="Dự thảo quy định về tiền lương (Chương V Bộ luật Lao động sửa đổi)",
                agency=agencies["LĐTBXH"],
                document_type="nghi_dinh",
                summary=(
                    "Lấy ý kiến chuyên đề về tiền lương tối thiểu, thang lương, bảng lương và "
                    "tiền thưởng, tách từ Chương V của Dự thảo 2 Bộ luật Lao động (sửa đổi)."
                ),
                text=_slice(labour, "CHƯƠNG V", "CHƯƠNG VI"),
                opens_at=now + timedelta(days=7),
                closes_at=now + timedelta(days=67),
                number="",
            ),
            dict(
                slug="du-thao-luat-dien-anh",
                title="Dự thảo Luật Điện ảnh (sửa đổi)",
                agency=agencies["BVHTTDL"],
                document_type="luat",
                summary=(
                    "Luật Điện ảnh: sản xuất, phát hành, phổ biến phim, phân loại phim, quỹ hỗ trợ "
                    "phát triển điện ảnh. Đợt lấy ý kiến đã kết thúc; văn bản được Quốc hội thông "
                    "qua ngày 15/6/2022 (Luật số 05/2022/QH15)."
                ),
                text=cinema,
                opens_at=now - timedelta(days=120),
                closes_at=now - timedelta(days=60),
                number="05/2022/QH15",
            ),
        ]
        pages = [self._draft(home, admin, **spec) for spec in drafts]
        from consult.demo.content import load_demo_answers, load_demo_feedback

        added = load_demo_feedback(pages[0])
        if added:
            self.stdout.write(
                f"  {pages[0].title}: {added} demo comments, replies and endorsements"
            )
        answered = load_demo_answers(pages[2], user=admin)
        if answered:
            self.stdout.write(
                f"  {pages[2].title}: {answered} demo comments with the agency's answers and "
                "the published synthesis report"
            )
        from consult.demo.content import load_demo_opinions

        invited = load_demo_opinions(
            pages[0], drafter=editor, asked=[agencies["BTP"], agencies["BVHTTDL"]], clerk=clerk
        )
        if invited:
            self.stdout.write(
                f"  {pages[0].title}: a request for opinions to {invited} agencies, "
                "one answered (Law 64/2025 Art. 30)"
            )
        # The agency pages read per-draft figures, which beat keeps fresh in a full stack.
        from consult.accountability.selectors import draft_figures_refresh

        for page in pages:
            draft_figures_refresh(draft_id=page.pk)
        # Demo comments are written in bulk, past the services that queue their indexing.
        from consult.feedback.models import Feedback
        from search.engines import get_backend

        indexed = get_backend().index(Feedback.objects.values_list("pk", flat=True))
        self.stdout.write(f"  {indexed} comments in the search index")

        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write("Sign in at /admin/ with:")
        self.stdout.write(f"  site administrator: {ADMIN[0]} / {ADMIN[2]}")
        self.stdout.write(f"  agency editor ({agencies['LĐTBXH'].code}): {EDITOR[0]} / {EDITOR[2]}")
        self.stdout.write(f"  agency clerk ({agencies['BTP'].code}): {CLERK[0]} / {CLERK[2]}")

    def _agencies(self) -> dict[str, Agency]:
        result = {}
        for name, code, slug in AGENCIES:
            agency, _ = Agency.objects.get_or_create(
                code=code, defaults={"name": name, "slug": slug}
            )
            result[code] = agency
        return result

    def _home(self) -> ConsultationIndexPage:
        return home_page_ensure(
            title="Lấy ý kiến dự thảo văn bản quy phạm pháp luật",
            intro=(
                "Đọc dự thảo theo từng điều, khoản, điểm; góp ý đúng chỗ; theo dõi cơ quan "
                "soạn thảo giải trình, tiếp thu từng ý kiến."
            ),
        )

    def _accounts(self, home: Page, agency: Agency):
        User = get_user_model()
        admin = User.objects.filter(username=ADMIN[0]).first()
        if admin is None:
            admin = User.objects.create_superuser(ADMIN[0], ADMIN[1], ADMIN[2])
        group = editor_group_ensure(home=home, name=EDITOR_GROUP)
        editor = User.objects.filter(username=EDITOR[0]).first()
        if editor is None:
            editor = User.objects.create_user(
                EDITOR[0], EDITOR[1], EDITOR[2], first_name="Biên tập", last_name="LĐTBXH"
            )
        editor.groups.add(group)
        agency.staff.add(editor)
        return admin, editor

    def _clerk(self, home: Page, agency: Agency):
        """Bộ Tư pháp's clerk, who answers the requests for its opinion."""
        User = get_user_model()
        clerk = User.objects.filter(username=CLERK[0]).first()
        if clerk is None:
            clerk = User.objects.create_user(
                CLERK[0], CLERK[1], CLERK[2], first_name="Văn thư", last_name="Bộ Tư pháp"
            )
        clerk.groups.add(editor_group_ensure(home=home, name=EDITOR_GROUP))
        agency.staff.add(clerk)
        return clerk

    def _draft(self, home, user, *, slug: str, text: str, **fields) -> DraftPage:
        existing = DraftPage.objects.child_of(home).filter(slug=slug).first()
        if existing is not None:
            self.stdout.write(f"  {existing.title}: already there")
            return existing
        result = parse_upload(text.encode("utf-8"), f"{slug}.txt")
        if not result.ok:
            raise CommandError("; ".join(str(error) for error in result.errors))
        page = draft_create(
            parent=home, slug=slug, body=result.body, publish=True, user=user, **fields
        )
        # Dự thảo 1 went out when the consultation opened (or now, for one still to open).
        published = min(page.opens_at, timezone.now())
        DraftVersion.objects.filter(page=page).update(
            first_published_at=published, last_published_at=published
        )
        self.stdout.write(f"  {page.title}: imported ({result.counts['articles']} articles)")
        return page
