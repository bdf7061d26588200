"""Factories for tests and benchmarks: agencies, the home page and drafts with a body."""

import uuid
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.utils import timezone

from consult.feedback.models import Feedback
from drafts.models import Agency, ConsultationIndexPage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.django.Password("correct-horse-battery")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Bộ Thử nghiệm {n}")
    code = factory.Sequence(lambda n: f"BTN{n}")
    slug = factory.LazyAttribute(lambda o: o.code.lower())


def home_page() -> ConsultationIndexPage:
    from drafts.services import home_page_ensure

    return home_page_ensure(title="Lấy ý kiến dự thảo")


def _id() -> str:
    return str(uuid.uuid4())


def article_block(number: str, title: str, clauses: list[tuple[str, str, list]] = (), intro=""):
    """One raw article block: clauses are (number, text, [(letter, text), …])."""
    return {
        "type": "article",
        "id": _id(),
        "value": {
            "number": number,
            "title": title,
            "intro": intro,
            "points": [],
            "clauses": [
                {
                    "type": "item",
                    "id": _id(),
                    "value": {
                        "number": clause_number,
                        "text": text,
                        "points": [
                            {"type": "item", "id": _id(), "value": {"letter": letter, "text": t}}
                            for letter, t in points
                        ],
                    },
                }
                for clause_number, text, points in clauses
            ],
        },
    }


def heading_block(kind: str, number: str, title: str) -> dict:
    return {"type": kind, "id": _id(), "value": {"number": number, "title": title}}


def sample_body() -> list[dict]:
    """A small draft: a preamble line, two chapters, a section, inserted article and point."""
    preamble = "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;"
    return [
        {"type": "paragraph", "id": _id(), "value": preamble},
        heading_block("chapter", "I", "NHỮNG QUY ĐỊNH CHUNG"),
        article_block("1", "Phạm vi điều chỉnh", intro="Luật này quy định về đất đai."),
        article_block(
            "2",
            "Đối tượng áp dụng",
            [
                ("1", "Cơ quan nhà nước.", []),
                ("2", "Tổ chức, cá nhân:", [("a", "Công dân"), ("đ", "Người nước ngoài")]),
            ],
        ),
        heading_block("chapter", "II", "QUẢN LÝ ĐẤT ĐAI"),
        heading_block("section", "1", "QUY HOẠCH"),
        article_block(
            "5",
            "Quy hoạch sử dụng đất",
            [
                ("1", "Nguyên tắc.", []),
                ("2", "Nội dung:", [("a", "Định hướng"), ("a1", "Điểm bổ sung")]),
            ],
        ),
        article_block("5a", "Điều bổ sung", intro="Nội dung điều bổ sung."),
    ]


def draft_page(*, parent=None, agency=None, publish=True, body=None, **fields):
    """A DraftPage under the home page, open now unless dates are given, published by default."""
    from drafts.services import draft_create

    now = timezone.now()
    fields.setdefault("title", "Dự thảo Luật Đất đai (sửa đổi)")
    fields.setdefault("opens_at", now - timedelta(days=1))
    fields.setdefault("closes_at", now + timedelta(days=30))
    return draft_create(
        parent=parent or home_page(),
        agency=agency or AgencyFactory(),
        body=sample_body() if body is None else body,
        publish=publish,
        **fields,
    )


def make_feedback(
    draft, *, provision=None, user=None, text="Góp ý", is_public=True, stance="agree", **extra
):
    """A comment written straight to the database (no rate limit, no e-mail)."""
    return Feedback.objects.create(
        content_type=ContentType.objects.get_for_model(draft),
        object_pk=str(draft.pk),
        site=Site.objects.get_current(),
        draft=draft,
        provision=provision,
        user=user,
        user_name=getattr(user, "username", "Người dân"),
        user_email=getattr(user, "email", "a@example.vn"),
        comment=text,
        is_public=is_public,
        stance=stance,
        **extra,
    )


def agency_staff(agency, username: str, *, permissions=(), admin_language: str = ""):
    """A member of `agency`'s staff who may use the Wagtail admin, with these extra
    permissions and, if given, the admin's language preference."""
    from django.contrib.auth.models import Permission
    from wagtail.users.models import UserProfile

    person = UserFactory(username=username)
    person.user_permissions.add(Permission.objects.get(codename="access_admin"), *permissions)
    agency.staff.add(person)
    if admin_language:
        profile = UserProfile.get_for_user(person)
        profile.preferred_language = admin_language
        profile.save()
    return person
