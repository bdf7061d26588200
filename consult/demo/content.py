"""Demo feedback for `load_demo`: a realistic spread of Vietnamese comments, replies and
endorsements on the open consultation, and on the closed one the whole cycle, from comments to
the drafting agency's published answers and synthesis report, so the demo shows the product at
work."""

import random
import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_comments.models import CommentFlag

from consult.feedback.counters import provision_counts_refresh
from consult.feedback.models import ENDORSEMENT_FLAG, Feedback
from consult.feedback.provinces import PROVINCES
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
    # The alternatives (Phương án) on the right to resign and on the retirement age.
    alternatives = [
        "dieu-35-pa-1",
        "dieu-35-pa-2",
        "dieu-148-khoan-1-pa-1",
        "dieu-148-khoan-1-pa-2",
    ]
    targets = list(
        Provision.objects.filter(
            version=version, withdrawn=False, kind__in=["article", "clause", "alternative"]
        ).filter(
            anchor__in=hot
            + alternatives
            + [f"{a}-khoan-1" for a in hot]
            + [f"{a}-khoan-2" for a in hot]
        )
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


# The closed consultation: the whole cycle, from comments to answers to the synthesis report.

CINEMA_PEOPLE = [
    ("Trần Quang Minh", "expert", ""),
    ("Vũ Hoàng Long", "business", "Công ty Cổ phần Nền tảng số Mây Xanh"),
    ("Hồ Minh Châu", "expert", ""),
    ("Nguyễn Đức Thắng", "association", "Hiệp hội Phát hành và Phổ biến phim"),
    ("Phạm Thị Ngọc", "citizen", ""),
    ("Tạ Thị Hương", "business", "Công ty TNHH Cụm rạp Hoa Sen"),
    ("Lê Thu Hà", "business", "Công ty TNHH Sản xuất phim Ánh Dương"),
    ("Đinh Văn Tuấn", "agency", "Sở Văn hóa và Thể thao tỉnh Quảng Ninh"),
    ("Lương Văn Bình", "citizen", ""),
    ("Mai Anh Khoa", "citizen", ""),
]

# (reference, provision anchor or None for the draft as a whole, person, stance, comment,
# proposed wording)
CINEMA_COMMENTS = [
    (
        "c01",
        "dieu-3-khoan-2",
        0,
        "change",
        "Đề nghị làm rõ khái niệm “phim” để phân biệt với video ngắn do người dùng tự quay và "
        "đăng lên mạng xã hội. Nếu không, mọi video trên các nền tảng chia sẻ đều có thể bị coi "
        "là phim và phải phân loại.",
        "Phim không bao gồm sản phẩm ghi hình nhằm mục đích phổ biến tin tức; chương trình biểu "
        "diễn nghệ thuật, trò chơi điện tử; sản phẩm ghi hình về hoạt động của một hoặc nhiều "
        "người, mô tả các sự kiện, tình huống hoặc chương trình thực tế.",
    ),
    (
        "c02",
        "dieu-3-khoan-2",
        1,
        "change",
        "Nền tảng của chúng tôi nhận hàng nghìn video do người dùng đăng tải mỗi ngày. Cần loại "
        "trừ rõ nội dung do người dùng tạo ra khỏi khái niệm phim, nếu không doanh nghiệp không "
        "thể tuân thủ.",
        "",
    ),
    (
        "c03",
        "dieu-3-khoan-12",
        2,
        "disagree",
        "Tiêu chí “hai trong ba yếu tố” còn lỏng: phim do nước ngoài đầu tư toàn bộ, chỉ thuê "
        "đạo diễn Việt Nam và một cơ sở điện ảnh Việt Nam làm dịch vụ cũng thành phim Việt Nam "
        "để hưởng tỷ lệ suất chiếu.",
        "",
    ),
    (
        "c04",
        "dieu-3-khoan-12",
        3,
        "change",
        "Đề nghị bổ sung tiêu chí ngôn ngữ: phim Việt Nam phải sử dụng chủ yếu tiếng Việt hoặc "
        "tiếng dân tộc thiểu số Việt Nam.",
        "",
    ),
    (
        "c05",
        "dieu-5-khoan-2-diem-a",
        4,
        "change",
        "Tôi đồng ý Nhà nước đặt hàng phim về đề tài lịch sử, nhưng cần công khai danh sách "
        "phim, kinh phí và số lượt khán giả để người dân giám sát việc dùng ngân sách.",
        "",
    ),
    (
        "c06",
        "dieu-5-khoan-3",
        5,
        "change",
        "Đề nghị quy định cụ thể mức ưu đãi thuế thu nhập doanh nghiệp và miễn tiền thuê đất cho "
        "rạp chiếu phim ở huyện, thị xã. Quy định chung như dự thảo rất khó áp dụng.",
        "",
    ),
    (
        "c07",
        "dieu-5-khoan-3",
        6,
        "change",
        "Doanh nghiệp sản xuất phim cần được vay vốn ưu đãi và được thế chấp bằng quyền tác giả "
        "đối với kịch bản, phim đã hoàn thành.",
        "",
    ),
    (
        "c08",
        "dieu-9-khoan-1-diem-d",
        0,
        "change",
        "Các nội dung bị cấm như “xuyên tạc lịch sử” còn định tính; cần tiêu chí rõ ràng để Hội "
        "đồng thẩm định không áp dụng tùy tiện, nhất là với phim lấy bối cảnh lịch sử có hư cấu.",
        "",
    ),
    (
        "c09",
        "dieu-9-khoan-1",
        8,
        "agree",
        "Tôi ủng hộ cấm phổ biến phim có cảnh bạo lực, khiêu dâm đến trẻ em. Là phụ huynh, tôi "
        "mong quy định này được thực thi nghiêm.",
        "",
    ),
    (
        "c10",
        "dieu-9-khoan-1-diem-d",
        3,
        "question",
        "Phim sử dụng bản đồ thể hiện sai chủ quyền biển, đảo của Việt Nam (như “đường lưỡi bò”) "
        "có thuộc nội dung bị cấm tại điểm này không?",
        "",
    ),
    (
        "c11",
        "dieu-13-khoan-4",
        6,
        "change",
        "Thời hạn 20 ngày cấp giấy phép quay phim sử dụng bối cảnh tại Việt Nam là quá dài với "
        "đoàn phim nước ngoài; đề nghị rút xuống 10 ngày làm việc và cho nộp hồ sơ trực tuyến.",
        "",
    ),
    (
        "c12",
        "dieu-13-khoan-2-diem-c",
        7,
        "change",
        "Đề nghị Bộ gửi bản sao Giấy phép cho Sở Văn hóa nơi có bối cảnh quay để địa phương phối "
        "hợp bảo đảm an ninh, trật tự và hỗ trợ đoàn phim.",
        "",
    ),
    (
        "c13",
        "dieu-14",
        0,
        "change",
        "Đề nghị quy định phim sản xuất bằng ngân sách nhà nước được phổ biến miễn phí trên "
        "không gian mạng sau một thời gian khai thác, vì người dân đã trả tiền qua thuế.",
        "",
    ),
    (
        "c14",
        "dieu-19-khoan-3-diem-a",
        3,
        "disagree",
        "Quy định tỷ lệ suất chiếu phim Việt Nam bắt buộc sẽ làm rạp tư nhân thua lỗ những tháng "
        "không có phim Việt mới. Đề nghị thay bằng chính sách hỗ trợ rạp chiếu phim Việt.",
        "",
    ),
    (
        "c15",
        "dieu-19-khoan-3-diem-a",
        5,
        "disagree",
        "Cụm rạp của chúng tôi ở tỉnh lẻ, khán giả chủ yếu xem phim nước ngoài. Ép tỷ lệ suất "
        "chiếu phim Việt Nam sẽ khiến phòng chiếu trống.",
        "",
    ),
    (
        "c16",
        "dieu-19-khoan-3-diem-a",
        0,
        "agree",
        "Tỷ lệ suất chiếu là công cụ nhiều nước dùng để bảo vệ điện ảnh nội địa (Hàn Quốc, "
        "Pháp). Đề nghị giữ quy định này.",
        "",
    ),
    (
        "c17",
        "dieu-19-khoan-3-diem-a",
        9,
        "question",
        "Khung giờ chiếu phim Việt Nam sẽ tính thế nào: có bắt buộc chiếu vào buổi tối và cuối "
        "tuần không?",
        "",
    ),
    (
        "c18",
        "dieu-19-khoan-3-diem-c",
        4,
        "change",
        "Đề nghị miễn, giảm giá vé cả cho người khuyết tật và người có công với cách mạng, không "
        "chỉ người cao tuổi và trẻ em.",
        "Miễn, giảm giá vé cho người cao tuổi, người khuyết tật, người có công với cách mạng, "
        "trẻ em, người có hoàn cảnh đặc biệt khó khăn và đối tượng khác theo quy định của pháp "
        "luật;",
    ),
    (
        "c19",
        "dieu-19-khoan-3-diem-c",
        7,
        "agree",
        "Sở đồng tình với chính sách miễn, giảm giá vé; đề nghị mở rộng đối tượng như ý kiến của "
        "người dân.",
        "",
    ),
    (
        "c20",
        "dieu-21-khoan-2-diem-b",
        1,
        "agree",
        "Cho phép doanh nghiệp tự phân loại phim trước khi phổ biến trên mạng là phù hợp thực "
        "tế, giảm thủ tục hành chính và thời gian đưa phim đến khán giả.",
        "",
    ),
    (
        "c21",
        "dieu-21-khoan-2-diem-b",
        2,
        "disagree",
        "Hậu kiểm sẽ rất khó khi hàng nghìn phim được doanh nghiệp tự phân loại. Đề nghị Bộ công "
        "bố danh sách doanh nghiệp đủ điều kiện tự phân loại và kết quả phân loại.",
        "",
    ),
    (
        "c22",
        "dieu-21-khoan-2-diem-d",
        8,
        "change",
        "Cần bắt buộc các nền tảng có chế độ kiểm soát dành cho phụ huynh, để cha mẹ chặn phim "
        "không phù hợp độ tuổi của con.",
        "",
    ),
    (
        "c23",
        "dieu-21-khoan-1",
        9,
        "question",
        "Phim nước ngoài trên các dịch vụ xem phim trực tuyến xuyên biên giới có phải phân loại "
        "theo quy định của Việt Nam không?",
        "",
    ),
    (
        "c24",
        "dieu-21-khoan-3",
        1,
        "disagree",
        "Nghĩa vụ gỡ bỏ, ngăn chặn phim vi phạm phải dựa trên yêu cầu bằng văn bản của cơ quan "
        "có thẩm quyền và có thời hạn hợp lý, tránh việc yêu cầu qua điện thoại.",
        "",
    ),
    (
        "c25",
        "dieu-22-khoan-2",
        7,
        "change",
        "Thời hạn 05 ngày làm việc để cơ quan nhà nước trả lời là ngắn khi phải xem cả chương "
        "trình phim; đề nghị nâng lên 07 ngày làm việc.",
        "",
    ),
    (
        "c26",
        "dieu-22-khoan-2",
        4,
        "question",
        "Quán cà phê chiếu phim cho khách xem có phải thông báo chương trình chiếu phim không? "
        "Đề nghị loại trừ việc chiếu phim quy mô nhỏ.",
        "",
    ),
    (
        "c27",
        "dieu-27-khoan-1-diem-b",
        7,
        "agree",
        "Phân cấp cho Ủy ban nhân dân cấp tỉnh cấp Giấy phép phân loại phim giúp giảm tải cho Bộ "
        "và rút ngắn thời gian cho doanh nghiệp địa phương.",
        "",
    ),
    (
        "c28",
        "dieu-27-khoan-1-diem-b",
        2,
        "disagree",
        "Phân cấp cho 63 tỉnh, thành phố dễ dẫn đến mỗi nơi phân loại một kiểu; cùng một phim có "
        "thể được xếp loại khác nhau.",
        "",
    ),
    (
        "c29",
        "dieu-27-khoan-4-diem-b",
        6,
        "change",
        "Đề nghị rút thời hạn cấp Giấy phép phân loại phim từ 15 ngày xuống 10 ngày để kịp lịch "
        "phát hành đồng thời với thế giới.",
        "",
    ),
    (
        "c30",
        "dieu-27-khoan-4-diem-b",
        3,
        "change",
        "Thống nhất rút ngắn thời hạn; phim bom tấn nước ngoài thường chỉ giao bản phim trước "
        "ngày khởi chiếu khoảng hai tuần.",
        "",
    ),
    (
        "c31",
        "dieu-31-khoan-2",
        0,
        "change",
        "Đề nghị Hội đồng thẩm định, phân loại phim có đại diện nhà giáo dục, tâm lý học và bảo "
        "đảm tỷ lệ nữ hợp lý.",
        "",
    ),
    (
        "c32",
        "dieu-32-khoan-1",
        8,
        "change",
        "Đề nghị có mức cho trẻ dưới 13 tuổi được xem cùng cha mẹ, như nhiều nước đang áp dụng.",
        "",
    ),
    (
        "c33",
        "dieu-32-khoan-1-diem-b",
        9,
        "question",
        "Với phim loại T18, rạp có phải kiểm tra căn cước khi khán giả mua vé trực tuyến không?",
        "",
    ),
    (
        "c34",
        "dieu-32-khoan-1",
        2,
        "change",
        "Khoảng cách từ 13 đến 18 tuổi quá lớn; đề nghị thêm mức T16.",
        "",
    ),
    (
        "c35",
        "dieu-33-khoan-1",
        0,
        "change",
        "Đề nghị cho phép nộp lưu chiểu bản phim kỹ thuật số thay cho bản phim nhựa, phù hợp "
        "công nghệ hiện nay.",
        "",
    ),
    (
        "c36",
        "dieu-38-khoan-1",
        6,
        "change",
        "Cần đơn giản thủ tục để doanh nghiệp tư nhân được tổ chức liên hoan phim quốc tế tại "
        "Việt Nam.",
        "",
    ),
    (
        "c37",
        "dieu-41",
        3,
        "change",
        "Đề nghị có cơ chế hoàn lại 20–30% chi phí sản xuất tại Việt Nam cho đoàn phim nước "
        "ngoài như Thái Lan, Malaysia đang làm, để thu hút các dự án lớn.",
        "",
    ),
    (
        "c38",
        "dieu-41",
        6,
        "agree",
        "Đồng ý có ưu đãi cho đoàn phim nước ngoài; doanh nghiệp dịch vụ trong nước sẽ có thêm "
        "việc làm.",
        "",
    ),
    (
        "c39",
        "dieu-43-khoan-1",
        0,
        "change",
        "Đề nghị Quỹ ưu tiên hỗ trợ phim đầu tay và phim của tác giả trẻ.",
        "",
    ),
    (
        "c40",
        "dieu-44-khoan-4",
        4,
        "change",
        "Quỹ cần công khai danh sách dự án được hỗ trợ, số tiền và kết quả của từng dự án.",
        "",
    ),
    (
        "c41",
        "dieu-47",
        7,
        "change",
        "Đề nghị bổ sung trách nhiệm của Ủy ban nhân dân cấp tỉnh trong phát triển rạp chiếu "
        "phim và chiếu phim lưu động ở vùng sâu, vùng xa.",
        "",
    ),
    (
        "c42",
        "dieu-49-khoan-1",
        1,
        "disagree",
        "Đề nghị lùi thời điểm có hiệu lực để doanh nghiệp kịp chuẩn bị hệ thống tự phân loại "
        "phim.",
        "",
    ),
    (
        "c43",
        "dieu-50-khoan-2",
        5,
        "question",
        "Phim đã được cấp phép trước ngày Luật có hiệu lực có phải hiển thị lại mức phân loại "
        "mới không, và trong bao lâu?",
        "",
    ),
    (
        "c44",
        None,
        0,
        "agree",
        "Dự thảo đã tiến bộ khi chuyển từ tiền kiểm sang hậu kiểm đối với phim trên mạng. Đề "
        "nghị công bố báo cáo đánh giá tác động chi tiết.",
        "",
    ),
    (
        "c45",
        None,
        9,
        "change",
        "Luật nên có một chương riêng về phát triển công nghiệp điện ảnh với các chỉ tiêu cụ thể.",
        "",
    ),
    (
        "c46",
        None,
        3,
        "change",
        "Đề nghị Ban soạn thảo tổ chức hội thảo với các doanh nghiệp phát hành, phổ biến phim "
        "trước khi trình Quốc hội.",
        "",
    ),
    (
        "c47",
        None,
        4,
        "question",
        "Quyền lợi của khán giả khi rạp hủy suất chiếu hoặc chiếu sai phân loại được bảo vệ thế "
        "nào?",
        "",
    ),
    # Not answered yet: the report shows them without an answer.
    (
        "c48",
        "dieu-12",
        9,
        "change",
        "Đề nghị địa phương dành quỹ đất cho trường quay ngoài trời gắn với du lịch.",
        "",
    ),
    (
        "c49",
        "dieu-25",
        8,
        "change",
        "Không nên chiếu đoạn giới thiệu phim T18 trước suất chiếu phim loại P.",
        "",
    ),
    (
        "c50",
        "dieu-6",
        9,
        "change",
        "Đề nghị có học bổng đào tạo điện ảnh ở nước ngoài cho sinh viên xuất sắc.",
        "",
    ),
    (
        "c51",
        None,
        8,
        "agree",
        "Tôi đồng tình với việc sửa đổi Luật Điện ảnh lần này.",
        "",
    ),
]

CINEMA_REPLIES = [
    (
        "c14",
        0,
        "Nhiều nước áp dụng tỷ lệ theo lộ trình; rạp tỉnh lẻ có thể được áp dụng tỷ lệ thấp hơn.",
    ),
    (
        "c21",
        1,
        "Doanh nghiệp tự phân loại vẫn chịu trách nhiệm trước pháp luật, và người dùng có kênh "
        "phản ánh phim vi phạm.",
    ),
]

# (decision, reason, the comments answered together)
CINEMA_ANSWERS = [
    (
        "accepted",
        "Tiếp thu. Khoản 2 Điều 3 đã bổ sung đoạn loại trừ khỏi khái niệm phim các sản phẩm ghi "
        "hình nhằm phổ biến tin tức, chương trình biểu diễn nghệ thuật, trò chơi điện tử và sản "
        "phẩm ghi hình về hoạt động của một hoặc nhiều người, mô tả sự kiện, tình huống hoặc "
        "chương trình thực tế.",
        ["c01", "c02"],
    ),
    (
        "not_accepted",
        "Không tiếp thu. Tiêu chí hai trong ba yếu tố là cách tiếp cận phổ biến trong pháp luật "
        "điện ảnh nhiều nước, khuyến khích hợp tác sản xuất quốc tế; tiêu chí ngôn ngữ sẽ loại "
        "trừ phim hợp tác do người Việt Nam thực hiện bằng tiếng nước ngoài. Tỷ lệ suất chiếu do "
        "Chính phủ quy định chi tiết (khoản 5 Điều 19).",
        ["c03", "c04"],
    ),
    (
        "partly",
        "Tiếp thu một phần. Việc công khai kinh phí dự án phim sử dụng ngân sách nhà nước thực "
        "hiện theo pháp luật về ngân sách; Điều 14 giao Chính phủ quy định phương thức giao "
        "nhiệm vụ, đặt hàng, đấu thầu. Số liệu phổ biến phim được đưa vào cơ sở dữ liệu ngành "
        "điện ảnh (điểm i khoản 2 Điều 5).",
        ["c05"],
    ),
    (
        "noted",
        "Ghi nhận. Mức ưu đãi cụ thể về thuế, tín dụng và đất đai do các luật chuyên ngành quy "
        "định; Luật này dẫn chiếu “theo quy định của pháp luật”. Việc thế chấp quyền sở hữu trí "
        "tuệ đã được khuyến khích tại điểm b khoản 4 Điều 5.",
        ["c06", "c07"],
    ),
    (
        "partly",
        "Tiếp thu một phần. Điểm d khoản 1 Điều 9 đã quy định rõ hành vi “thể hiện không đúng, "
        "xâm phạm chủ quyền quốc gia”, bao gồm bản đồ thể hiện sai chủ quyền. Tiêu chí thẩm định "
        "nội dung phim có yếu tố lịch sử được hướng dẫn trong quy chế hoạt động của Hội đồng.",
        ["c08", "c10"],
    ),
    (
        "noted",
        "Ghi nhận ý kiến đồng tình của người dân.",
        ["c09"],
    ),
    (
        "partly",
        "Tiếp thu một phần. Điểm a khoản 4 Điều 13 cho phép nộp hồ sơ qua Cổng dịch vụ công quốc "
        "gia. Thời hạn 20 ngày được giữ vì phải thẩm định kịch bản chi tiết bằng tiếng Việt.",
        ["c11"],
    ),
    (
        "noted",
        "Ghi nhận. Việc phối hợp với địa phương nơi có bối cảnh quay sẽ được quy định trong văn "
        "bản hướng dẫn thi hành.",
        ["c12"],
    ),
    (
        "partly",
        "Tiếp thu một phần. Khoản 4 Điều 20 khuyến khích phổ biến phim sản xuất bằng ngân sách "
        "nhà nước; việc phổ biến miễn phí trên không gian mạng phụ thuộc quyền sở hữu trí tuệ "
        "đối với phim (khoản 5 Điều 14) nên không quy định bắt buộc.",
        ["c13"],
    ),
    (
        "not_accepted",
        "Không tiếp thu. Tỷ lệ suất chiếu phim Việt Nam là chính sách cần thiết để phát triển "
        "điện ảnh dân tộc. Để giảm gánh nặng cho rạp, khoản 5 Điều 19 giao Chính phủ quy định tỷ "
        "lệ theo lộ trình, phù hợp với số lượng phim Việt Nam sản xuất hằng năm.",
        ["c14", "c15"],
    ),
    (
        "accepted",
        "Tiếp thu, giữ quy định như dự thảo.",
        ["c16"],
    ),
    (
        "noted",
        "Ghi nhận. Khung giờ chiếu phim Việt Nam do Chính phủ quy định chi tiết theo khoản 5 "
        "Điều 19.",
        ["c17"],
    ),
    (
        "accepted",
        "Tiếp thu. Điểm c khoản 3 Điều 19 đã bổ sung người khuyết tật, người có công với cách "
        "mạng và người có hoàn cảnh đặc biệt khó khăn.",
        ["c18", "c19"],
    ),
    (
        "accepted",
        "Tiếp thu, giữ cơ chế tự phân loại tại điểm b khoản 2 Điều 21.",
        ["c20"],
    ),
    (
        "partly",
        "Tiếp thu một phần. Điểm c khoản 2 Điều 21 bổ sung nghĩa vụ thông báo danh sách phim và "
        "kết quả phân loại cho Bộ trước khi phổ biến; Chính phủ quy định điều kiện tự phân loại. "
        "Luật không quy định việc công bố danh sách doanh nghiệp.",
        ["c21"],
    ),
    (
        "accepted",
        "Tiếp thu. Điểm d khoản 2 Điều 21 đã bổ sung biện pháp kỹ thuật để cha, mẹ hoặc người "
        "giám hộ tự kiểm soát việc trẻ em xem phim.",
        ["c22"],
    ),
    (
        "noted",
        "Ghi nhận. Khoản 1 Điều 21 áp dụng với mọi chủ thể phổ biến phim tại Việt Nam, kể cả "
        "dịch vụ xuyên biên giới; cách thức thực hiện theo quy định của Chính phủ.",
        ["c23"],
    ),
    (
        "partly",
        "Tiếp thu một phần. Điểm e khoản 2 Điều 21 quy định việc gỡ bỏ khi có yêu cầu bằng văn "
        "bản của cơ quan nhà nước có thẩm quyền; thời hạn thực hiện do Chính phủ quy định.",
        ["c24"],
    ),
    (
        "not_accepted",
        "Không tiếp thu. Phim chiếu tại địa điểm công cộng đã có Giấy phép phân loại phim; cơ "
        "quan tiếp nhận chỉ xem xét nội dung, chương trình chiếu, nên 05 ngày làm việc là đủ.",
        ["c25"],
    ),
    (
        "noted",
        "Ghi nhận. Cơ sở cung cấp dịch vụ ăn uống có tổ chức chiếu phim là địa điểm chiếu phim "
        "công cộng (khoản 15 Điều 3); Chính phủ hướng dẫn quy mô phải thông báo.",
        ["c26"],
    ),
    (
        "partly",
        "Tiếp thu một phần. Giữ việc phân cấp, nhưng Ủy ban nhân dân cấp tỉnh chỉ được cấp Giấy "
        "phép khi đáp ứng điều kiện do Bộ trưởng quy định (điểm b khoản 1 Điều 27); tiêu chí "
        "phân loại áp dụng thống nhất toàn quốc (khoản 2 Điều 32).",
        ["c27", "c28"],
    ),
    (
        "noted",
        "Ghi nhận.",
        ["c29", "c30"],
    ),
    (
        "partly",
        "Tiếp thu một phần. Khoản 2 Điều 31 đã bổ sung nguyên tắc bảo đảm bình đẳng giới; chuyên "
        "gia giáo dục, tâm lý thuộc thành phần “chuyên gia thuộc các lĩnh vực liên quan”.",
        ["c31"],
    ),
    (
        "accepted",
        "Tiếp thu. Khoản 1 Điều 32 chia phim thành sáu loại P, K, T13, T16, T18 và C, trong đó "
        "loại K dành cho người xem dưới 13 tuổi xem cùng cha, mẹ hoặc người giám hộ.",
        ["c32", "c34"],
    ),
    (
        "noted",
        "Ghi nhận. Điểm b khoản 3 Điều 19 giao rạp chiếu phim bảo đảm người xem đúng độ tuổi; "
        "cách thức kiểm tra do cơ sở lựa chọn.",
        ["c33"],
    ),
    (
        "accepted",
        "Tiếp thu. Khoản 1 Điều 33 quy định nộp lưu chiểu 01 bản phim, không giới hạn ở phim nhựa.",
        ["c35"],
    ),
    (
        "partly",
        "Tiếp thu một phần. Điều 38 phân cấp thẩm quyền chấp thuận liên hoan phim; hồ sơ, thủ "
        "tục do Chính phủ quy định theo hướng đơn giản hóa.",
        ["c36"],
    ),
    (
        "not_accepted",
        "Không tiếp thu. Cơ chế hoàn tiền trực tiếp từ ngân sách chưa phù hợp với Luật Ngân sách "
        "nhà nước; Điều 41 quy định ưu đãi về thuế theo pháp luật về thuế. Ban soạn thảo sẽ "
        "nghiên cứu khi tổng kết thi hành Luật.",
        ["c37", "c38"],
    ),
    (
        "accepted",
        "Tiếp thu. Khoản 1 Điều 43 quy định Quỹ hỗ trợ dự án phim thể nghiệm, phim đầu tay, phim "
        "của tác giả trẻ.",
        ["c39"],
    ),
    (
        "accepted",
        "Tiếp thu. Khoản 4 Điều 44 quy định Quỹ bảo đảm công khai, minh bạch.",
        ["c40"],
    ),
    (
        "noted",
        "Ghi nhận. Trách nhiệm của Ủy ban nhân dân các cấp được quy định tại Điều 47; chiếu phim "
        "lưu động được hỗ trợ theo điểm b khoản 2 Điều 5.",
        ["c41"],
    ),
    (
        "not_accepted",
        "Không tiếp thu. Khoảng thời gian từ khi Luật được thông qua đến ngày 01/01/2023 đủ để "
        "doanh nghiệp chuẩn bị; Điều 50 đã có quy định chuyển tiếp.",
        ["c42"],
    ),
    (
        "noted",
        "Ghi nhận. Khoản 2 Điều 50 cho phép bổ sung cảnh báo và hiển thị mức phân loại trong "
        "thời hạn 01 năm kể từ ngày Luật có hiệu lực.",
        ["c43"],
    ),
    (
        "noted",
        "Ghi nhận. Báo cáo đánh giá tác động chính sách đã được đăng trong hồ sơ dự án Luật.",
        ["c44"],
    ),
    (
        "not_accepted",
        "Không tiếp thu. Chính sách phát triển công nghiệp điện ảnh đã được quy định tại Điều 5 "
        "và Chương VI; không tách chương riêng để tránh trùng lặp.",
        ["c45"],
    ),
    (
        "noted",
        "Ghi nhận. Bộ đã lấy ý kiến trực tiếp các hiệp hội, doanh nghiệp trong quá trình soạn "
        "thảo.",
        ["c46", "c47"],
    ),
]

# The answer to c29 and c30 was published as a bare "Ghi nhận." and then explained: the public
# record keeps the first wording.
CINEMA_REVISED = (
    "c29",
    "not_accepted",
    "Không tiếp thu. Thời hạn 15 ngày đã ngắn hơn quy định hiện hành; Hội đồng thẩm định cần thời "
    "gian xem phim và họp. Điểm b khoản 4 Điều 27 cho phép nộp hồ sơ trước ngày phát hành, nên "
    "doanh nghiệp vẫn có thể phát hành đồng thời với thế giới.",
)
CINEMA_RATINGS = [
    ("c18", True, ""),
    ("c22", True, "Cảm ơn Ban soạn thảo đã tiếp thu."),
    ("c14", False, "Chưa thuyết phục: rạp ở tỉnh lẻ vẫn khó đạt tỷ lệ suất chiếu."),
    ("c37", False, ""),
]
CINEMA_INTRODUCTION = (
    "Thực hiện Luật Ban hành văn bản quy phạm pháp luật, Bộ Văn hóa, Thể thao và Du lịch đã đăng "
    "toàn văn dự thảo Luật Điện ảnh (sửa đổi) để lấy ý kiến rộng rãi của cơ quan, tổ chức, doanh "
    "nghiệp và người dân. Bản tổng hợp này trình bày từng ý kiến nhận được, theo thứ tự các điều, "
    "khoản của dự thảo, cùng nội dung giải trình, tiếp thu của cơ quan chủ trì soạn thảo."
)


def load_demo_answers(draft: DraftPage, *, user) -> int:
    """Comments on the closed consultation, answered through the answering services, one answer
    changed after publication, a few satisfaction ratings and the published synthesis report,
    with dates inside and just after the consultation. Does nothing if it already has comments.

    The authors are demo accounts: the "your comment was answered" e-mails are taken out of
    the outbox before they are committed, so they are never sent."""
    from post_office.models import Email

    if Feedback.objects.filter(draft=draft).exists():
        return 0
    with transaction.atomic():
        last = Email.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        loaded = _load_demo_answers(draft, user)
        Email.objects.filter(pk__gt=last, to__contains="@nguoidan.econsult.local").delete()
        return loaded


TRACED = ("accepted", "partly")


def _accepted_proposals(draft: DraftPage) -> dict[str, list[tuple[str, str]]]:
    """{provision key: [(comment ref, proposed wording)]} for the comments with a proposal
    that CINEMA_ANSWERS accepts, wholly or partly."""
    keys = dict(
        Provision.objects.filter(
            version__page=draft, version__number=draft.version_number, withdrawn=False
        ).values_list("anchor", "key")
    )
    wording = {ref: (anchor, proposal) for ref, anchor, _p, _s, _t, proposal in CINEMA_COMMENTS}
    found: dict[str, list[tuple[str, str]]] = {}
    for decision, _reason, refs in CINEMA_ANSWERS:
        for ref in refs:
            anchor, proposal = wording[ref]
            if decision in TRACED and anchor and proposal:
                found.setdefault(str(keys[anchor]), []).append((ref, proposal))
    return found


def _publish_text(draft: DraftPage, admin, body: list[dict], *, next_version: bool) -> None:
    from drafts.revising import revised_text_import

    revision, _kept = revised_text_import(
        page=draft, body=body, user=admin, next_version=next_version
    )
    revision.publish(user=admin)
    draft.refresh_from_db()


def _hold_back_adopted_wording(draft: DraftPage, admin) -> dict[str, tuple[str, str]]:
    """Make the demo's Dự thảo 1 the law as passed less the sentences that accepted comments
    proposed (the law took them in), so that Dự thảo 2 can take them in again. Publishes the
    shortened text in place of Dự thảo 1 (same keys) and returns {provision key: (field, its
    full text)}, what Dự thảo 2 restores."""
    import copy

    from drafts.alignment import text_similarity
    from drafts.revising import body_blocks

    proposals = _accepted_proposals(draft)
    body = copy.deepcopy(list(draft.get_latest_revision_as_object().body.raw_data))
    restore: dict[str, tuple[str, str]] = {}
    for block in body_blocks(body):
        for _ref, proposal in proposals.get(block["id"], []):
            value = block["value"]
            field = "intro" if block["type"] == "article" else "text"
            text = value.get(field) or ""
            parts = [part for part in re.split(r"(?<=[.;:])\s+", text) if part]
            if len(parts) < 2:
                continue  # the whole provision: nothing would be left of it
            best = max(parts, key=lambda part: text_similarity(part, proposal))
            if text_similarity(best, proposal) >= 0.5:
                restore.setdefault(block["id"], (field, text))
                value[field] = " ".join(part for part in parts if part is not best)
    if restore:
        _publish_text(draft, admin, body, next_version=False)
    return restore


def _publish_second_version(
    draft: DraftPage, admin, restore: dict[str, tuple[str, str]], by_ref: dict[str, Feedback]
) -> dict[str, int]:
    """Publish Dự thảo 2 of the closed draft: the provisions whose proposed wording accepted
    comments asked for take it in (`restore`, from _hold_back_adopted_wording). It goes
    through the importer's path for a next version (drafts.revising), so every provision
    keeps its key. Returns {comment ref: id of the provision of Dự thảo 2 that carries it}."""
    import copy

    from drafts.revising import body_blocks

    body = copy.deepcopy(list(draft.get_latest_revision_as_object().body.raw_data))
    for block in body_blocks(body):
        if block["id"] in restore:
            field, text = restore[block["id"]]
            block["value"][field] = text
    _publish_text(draft, admin, body, next_version=True)
    # Dự thảo 1 was published when the consultation opened; Dự thảo 2 three weeks after it
    # closed, with the answers.
    for number, moment in ((1, draft.opens_at), (2, draft.closes_at + timedelta(days=21))):
        DraftVersion.objects.filter(page=draft, number=number).update(
            first_published_at=moment, last_published_at=moment
        )
    refs = {ref: key for key, found in _accepted_proposals(draft).items() for ref, _ in found}
    second = dict(
        Provision.objects.filter(
            version__page=draft, version__number=draft.version_number, key__in=list(restore)
        ).values_list("key", "pk")
    )
    by_key = {str(key): pk for key, pk in second.items()}
    return {ref: by_key[key] for ref, key in refs.items() if key in by_key and ref in by_ref}


def _load_demo_answers(draft: DraftPage, admin) -> int:
    from consult.accountability.selectors import draft_figures_refresh
    from consult.answers import services as responses
    from consult.answers.models import Response, ResponseRevision, Satisfaction
    from consult.feedback.counters import feedback_changed
    from consult.reports.models import SynthesisReport
    from consult.reports.services import report_publish

    User = get_user_model()
    people = []
    for index, (name, kind, organisation) in enumerate(CINEMA_PEOPLE, start=1):
        account, created = User.objects.get_or_create(
            username=f"demo-da{index:02d}",
            defaults={"email": f"demo-da{index:02d}@nguoidan.econsult.local", "first_name": name},
        )
        if created:
            account.set_unusable_password()
            account.save(update_fields=["password"])
        people.append((account, name, kind, organisation))

    restore = _hold_back_adopted_wording(draft, admin)
    version = DraftVersion.objects.get(page=draft, number=draft.version_number)
    provisions = {p.anchor: p for p in Provision.objects.filter(version=version, withdrawn=False)}
    content_type = ContentType.objects.get_for_model(DraftPage)
    site = Site.objects.get_current()
    window = draft.closes_at - draft.opens_at
    step = window / (len(CINEMA_COMMENTS) + 2)
    provinces = [code for code, _name in PROVINCES]

    def comment(person: int, provision, text: str, submitted, **fields) -> Feedback:
        account, name, kind, organisation = people[person]
        feedback = Feedback(
            content_type=content_type, object_pk=str(draft.pk), site=site, user=account,
            user_name=name, user_email=account.email, comment=text, is_public=True,
            submit_date=submitted, draft=draft, provision=provision, respondent_type=kind,
            organisation=organisation, province=provinces[(person * 7) % len(provinces)],
            **fields,
        )  # fmt: skip
        feedback.save()
        return feedback

    by_ref: dict[str, Feedback] = {}
    for n, (ref, anchor, person, stance, text, proposal) in enumerate(CINEMA_COMMENTS, start=1):
        by_ref[ref] = comment(
            person,
            provisions[anchor] if anchor else None,
            text,
            draft.opens_at + step * n,
            stance=stance,
            proposed_wording=proposal,
        )
    for ref, person, text in CINEMA_REPLIES:
        parent = by_ref[ref]
        comment(person, parent.provision, text, parent.submit_date + timedelta(hours=5),
                parent_id=parent.pk)  # fmt: skip
    feedback_changed(
        draft_id=draft.pk, provision_ids={f.provision_id for f in by_ref.values() if f.provision_id}
    )

    # Dự thảo 2 takes in the proposals of the comments the agency accepts; their answers
    # point at the provisions that carry them.
    carried_by = _publish_second_version(draft, admin, restore, by_ref)

    # Answers are published within three weeks of the close, a few a day.
    answer_of: dict[str, Response] = {}
    for n, (decision, reason, refs) in enumerate(CINEMA_ANSWERS):
        traced = [carried_by[ref] for ref in refs if ref in carried_by]
        response = responses.response_create(
            user=admin, draft=draft, feedback_ids=[by_ref[ref].pk for ref in refs],
            decision=decision, reason=reason, publish=True,
            resulting_provision_ids=traced if decision in TRACED else (),
        )  # fmt: skip
        published = draft.closes_at + timedelta(days=4 + n // 2, hours=n % 8)
        Response.objects.filter(pk=response.pk).update(
            created_at=published - timedelta(days=2), published_at=published
        )
        for ref in refs:
            answer_of[ref] = response

    ref, decision, reason = CINEMA_REVISED
    revised = responses.response_update(
        user=admin, response=answer_of[ref], decision=decision, reason=reason
    )
    changed = draft.closes_at + timedelta(days=26)
    Response.objects.filter(pk=revised.pk).update(revised_at=changed)
    ResponseRevision.objects.filter(response=revised).update(replaced_at=changed)

    for ref, satisfied, note in CINEMA_RATINGS:
        feedback = by_ref[ref]
        rating = responses.satisfaction_record(
            feedback=feedback, satisfied=satisfied, note=note, user=feedback.user
        )
        Satisfaction.objects.filter(pk=rating.pk).update(
            created_at=draft.closes_at + timedelta(days=24)
        )

    report = report_publish(user=admin, draft=draft, introduction=CINEMA_INTRODUCTION)
    SynthesisReport.objects.filter(pk=report.pk).update(
        published_at=draft.closes_at + timedelta(days=30)
    )
    draft_figures_refresh(draft_id=draft.pk)
    return len(by_ref)


# A minimal valid PDF: the demo's request letter and signed letter.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def load_demo_opinions(draft: DraftPage, *, drafter, asked: list, clerk) -> int:
    """A request for opinions (Law 64/2025 Art. 30) from the drafting agency of `draft` to the
    agencies `asked`, sent 9 days ago with the default 15-day deadline: the first answered by
    its clerk `clerk` 3 days ago (on the draft as a whole and on one article), the others still
    waiting. Returns the number of invitations; does nothing (0) if the draft has a request.
    The e-mails it would send demo accounts are taken out of the outbox."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from post_office.models import Email

    from consult.opinions.models import OpinionRequest
    from consult.opinions.services import OpinionPart, opinion_request_send, opinion_submit

    if OpinionRequest.objects.filter(draft=draft).exists():
        return 0
    now = timezone.now()
    with transaction.atomic():
        last = Email.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        request = opinion_request_send(
            user=drafter,
            draft=draft,
            agencies=asked,
            subject=f"Đề nghị góp ý {draft.title}",
            reference="1234/LĐTBXH-PC",
            message=(
                "Thực hiện Điều 30 Luật Ban hành văn bản quy phạm pháp luật, Bộ đề nghị Quý cơ "
                "quan nghiên cứu, góp ý dự thảo và gửi ý kiến bằng văn bản trong thời hạn."
            ),
            letter=SimpleUploadedFile("de-nghi-gop-y.pdf", DEMO_PDF),
            now=now - timedelta(days=9),
        )
        invitation = request.invitations.get(agency=asked[0])
        article = (
            Provision.objects.filter(
                version__page=draft,
                version__number=draft.version_number,
                kind="article",
                withdrawn=False,
            )
            .order_by("position")
            .first()
        )
        parts = [
            OpinionPart(
                comment=(
                    "Bộ Tư pháp cơ bản thống nhất với sự cần thiết sửa đổi Bộ luật Lao động và "
                    "bố cục của dự thảo. Đề nghị cơ quan chủ trì rà soát bảo đảm tính thống "
                    "nhất với Bộ luật Dân sự và Luật Việc làm."
                ),
                stance="agree",
            )
        ]
        if article is not None:
            parts.append(
                OpinionPart(
                    comment=(
                        "Đề nghị làm rõ phạm vi điều chỉnh đối với người làm việc không có quan "
                        "hệ lao động, tránh chồng chéo với pháp luật chuyên ngành."
                    ),
                    provision=article,
                    stance="change",
                    proposed_wording=(
                        "Bộ luật này quy định tiêu chuẩn lao động; quyền, nghĩa vụ, trách nhiệm "
                        "của người lao động, người sử dụng lao động và quản lý nhà nước về lao "
                        "động."
                    ),
                )
            )
        opinion_submit(
            user=clerk,
            invitation=invitation,
            letter=SimpleUploadedFile("y-kien-bo-tu-phap.pdf", DEMO_PDF),
            parts=parts,
            now=now - timedelta(days=3),
        )
        Email.objects.filter(pk__gt=last).delete()
    return request.invitations.count()
