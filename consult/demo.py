"""Demo feedback for `load_demo`: a realistic spread of Vietnamese comments, replies and
endorsements on the open consultation, so the demo shows the product at work."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_comments.models import CommentFlag

from consult.counters import provision_counts_refresh
from consult.models import Feedback
from consult.models.feedback import ENDORSEMENT_FLAG
from consult.provinces import PROVINCES
from drafts.models import DraftPage, DraftVersion, Provision

PEOPLE = [
    ("Nguyễn Văn An", "citizen", ""),
    ("Trần Thị Bình", "citizen", ""),
    ("Lê Hoàng Cường", "expert", ""),
    ("Phạm Minh Đức", "business", "Công ty TNHH May mặc Đức Phát"),
    ("Hoàng Thị Lan", "citizen", ""),
    ("Vũ Quốc Huy", "association", "Hiệp hội Doanh nghiệp nhỏ và vừa"),
    ("Đặng Thu Trang", "expert", ""),
    ("Bùi Văn Nam", "citizen", ""),
    ("Đỗ Thị Hạnh", "agency", "Sở Nội vụ tỉnh Nghệ An"),
    ("Ngô Thanh Tùng", "business", "Công ty Cổ phần Thép Việt"),
    ("Dương Thị Mai", "citizen", ""),
    ("Lý Văn Phúc", "citizen", ""),
]

OPINIONS = {
    "agree": [
        "Tôi đồng ý với quy định này, bảo đảm quyền lợi chính đáng của người lao động.",
        "Quy định rõ ràng, phù hợp với thực tiễn tại doanh nghiệp chúng tôi.",
        "Đề nghị giữ nguyên như dự thảo; đây là bước tiến so với Bộ luật hiện hành.",
    ],
    "disagree": [
        "Quy định này gây khó khăn cho doanh nghiệp nhỏ, chi phí tuân thủ quá cao.",
        "Tôi không đồng ý; quy định chưa tính đến lao động khu vực phi chính thức.",
        "Nội dung này chồng chéo với Luật Việc làm, đề nghị bỏ.",
    ],
    "change": [
        "Đề nghị làm rõ khái niệm, tránh cách hiểu khác nhau khi áp dụng.",
        "Nên quy định thời hạn cụ thể thay vì giao Chính phủ quy định chi tiết.",
        "Đề nghị bổ sung trường hợp người lao động làm việc qua nền tảng số.",
    ],
    "question": [
        "Quy định này áp dụng thế nào với hợp đồng đã ký trước ngày Bộ luật có hiệu lực?",
        "Cơ quan nào chịu trách nhiệm kiểm tra việc thực hiện quy định này?",
    ],
}
REPLIES = [
    "Tôi cũng gặp tình huống tương tự tại doanh nghiệp mình.",
    "Ý kiến rất xác đáng, đề nghị Ban soạn thảo tiếp thu.",
    "Theo tôi cần có số liệu đánh giá tác động trước khi quyết định.",
    "Cảm ơn anh/chị đã nêu vấn đề, tôi xin bổ sung thêm góc nhìn từ người lao động.",
]


@transaction.atomic
def load_demo_feedback(draft: DraftPage, *, seed: int = 2017) -> int:
    """Comments on the draft's most debated articles; does nothing if it already has some."""
    if Feedback.objects.filter(draft=draft).exists():
        return 0
    rng = random.Random(seed)
    User = get_user_model()
    users = []
    for index, (name, _kind, _org) in enumerate(PEOPLE, start=1):
        user, created = User.objects.get_or_create(
            username=f"demo{index:02d}",
            defaults={"email": f"demo{index:02d}@nguoidan.econsult.local", "first_name": name},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)

    version = DraftVersion.objects.get(page=draft, number=draft.version_number)
    # The debate concentrates, as real ones do, on a few articles: contracts, wages, hours,
    # the retirement age and trade unions.
    hot = ["dieu-35", "dieu-36", "dieu-61", "dieu-80", "dieu-84", "dieu-150", "dieu-187"]
    targets = list(
        Provision.objects.filter(
            version=version, withdrawn=False, kind__in=["article", "clause"]
        ).filter(anchor__in=hot + [f"{a}-khoan-1" for a in hot] + [f"{a}-khoan-2" for a in hot])
    )
    others = list(
        Provision.objects.filter(version=version, withdrawn=False, kind="clause").order_by("?")[:40]
    )
    content_type = ContentType.objects.get_for_model(DraftPage)
    site = Site.objects.get_current()
    now = timezone.now()
    start = max(draft.opens_at, now - timedelta(days=9))
    created: list[Feedback] = []

    def add(user, provision, *, text, stance="", parent=None, proposal="", minutes=0):
        person = PEOPLE[users.index(user)]
        feedback = Feedback(
            content_type=content_type, object_pk=str(draft.pk), site=site, user=user,
            user_name=person[0], user_email=user.email, comment=text, is_public=True,
            submit_date=min(start + timedelta(minutes=minutes), now - timedelta(minutes=1)),
            draft=draft, provision=provision,
            parent_id=parent.pk if parent else 0, stance=stance, proposed_wording=proposal,
            respondent_type=person[1], organisation=person[2],
            province=rng.choice(PROVINCES)[0], show_name=rng.random() > 0.2,
        )  # fmt: skip
        feedback.save()
        created.append(feedback)
        return feedback

    minutes = 0
    for provision in targets + others:
        weight = 6 if provision in targets else 1
        for _ in range(rng.randint(1, weight)):
            minutes += rng.randint(5, 60)
            stance = rng.choices(["agree", "disagree", "change", "question"], [3, 3, 3, 1])[0]
            text = rng.choice(OPINIONS[stance])
            proposal = ""
            if stance == "change" and provision.text:
                proposal = provision.text.replace("Chính phủ quy định", "Luật này quy định", 1)
                if proposal == provision.text:
                    proposal = (
                        provision.text.rstrip(".;:")
                        + ", trừ trường hợp pháp luật có quy định khác."
                    )
            root = add(
                rng.choice(users),
                provision,
                text=text,
                stance=stance,
                proposal=proposal,
                minutes=minutes,
            )
            if rng.random() < 0.35:
                reply = add(
                    rng.choice(users),
                    provision,
                    text=rng.choice(REPLIES),
                    parent=root,
                    minutes=minutes + 30,
                )
                if rng.random() < 0.3:
                    add(
                        rng.choice(users),
                        provision,
                        text=rng.choice(REPLIES),
                        parent=reply,
                        minutes=minutes + 90,
                    )

    flags = []
    for feedback in created:
        if feedback.level == 0:
            for user in rng.sample(users, rng.randint(0, 6)):
                if user.pk != feedback.user_id:
                    flags.append(
                        CommentFlag(
                            comment=feedback,
                            user=user,
                            flag=ENDORSEMENT_FLAG,
                            flag_date=feedback.submit_date + timedelta(hours=2),
                        )
                    )
    CommentFlag.objects.bulk_create(flags, ignore_conflicts=True)
    for row in (
        CommentFlag.objects.filter(comment__in=created, flag=ENDORSEMENT_FLAG)
        .order_by()
        .values("comment_id")
        .annotate(n=Count("pk"))
    ):
        Feedback.objects.filter(pk=row["comment_id"]).update(endorsement_count=row["n"])
    provision_counts_refresh({f.provision_id for f in created})
    return len(created)
