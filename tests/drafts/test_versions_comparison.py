"""The public comparison of two versions of a draft (`<draft>/so-sanh/<a>-<b>/`), and the
word-level diff it shows."""

import re

import pytest
from wagtail import hooks

from drafts.comparison import word_diff
from drafts.hooks import VERSION_COMPARISON_TRACES
from tests.drafts.test_versions_pages import article, publish_next_version, revise

pytestmark = pytest.mark.django_db


# word_diff: whole syllables, spaces kept


def test_a_replaced_phrase_keeps_its_spaces_and_whole_syllables():
    assert word_diff("trình độ trung cấp trở lên", "trình độ cao đẳng trở lên") == [
        ("equal", "trình độ "),
        ("delete", "trung cấp"),
        ("equal", " "),
        ("insert", "cao đẳng"),
        ("equal", " trở lên"),
    ]


def test_punctuation_only_the_new_text_has_takes_its_spacing():
    """ "thời hạn, không quá ba năm," never reads "thời hạn , không"."""
    diff = word_diff("thời hạn một chính sách", "thời hạn, không quá ba năm, một chính sách")
    assert diff == [
        ("equal", "thời hạn"),
        ("insert", ", không quá ba năm,"),
        ("equal", " một chính sách"),
    ]


def test_one_changed_tone_marks_the_whole_syllable():
    assert word_diff("người lao động", "người lao đông") == [
        ("equal", "người lao "),
        ("delete", "động"),
        ("equal", " "),  # never "độngđông"
        ("insert", "đông"),
    ]


def test_words_removed_at_the_end_stay_apart_from_the_last_kept_word():
    diff = word_diff("người lao động nước ngoài", "người lao động")
    assert diff == [("equal", "người lao động "), ("delete", "nước ngoài")]


def test_punctuation_is_a_token_of_its_own():
    diff = word_diff("Người lao động, người sử dụng lao động.", "Người lao động; người sử dụng.")
    assert diff[:4] == [
        ("equal", "Người lao động"),
        ("delete", ","),
        ("insert", ";"),
        ("equal", " người sử dụng "),
    ]
    assert diff[4:] == [("delete", "lao động"), ("equal", ".")]


def test_a_comma_inserted_takes_the_new_texts_spacing():
    assert word_diff("Điều này người", "Điều này, người") == [
        ("equal", "Điều này"),
        ("insert", ","),
        ("equal", " người"),
    ]


def test_a_phrase_removed_with_its_comma_takes_the_old_texts_spacing():
    """ "công bằng<del>, văn minh</del> và", never "công bằng <del>, văn minh</del>"."""
    assert word_diff("công bằng, văn minh và", "công bằng và") == [
        ("equal", "công bằng"),
        ("delete", ", văn minh"),
        ("equal", " và"),
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("biết trước khi trừ", "biết trước:, trừ"),
        ("biết trước x, trừ", "biết trước: y, trừ"),
    ],
)
def test_words_replaced_by_punctuation_read_back_exactly(old, new):
    """Neither "biết trướckhi" in the old text nor "biết trước :" in the new."""
    diff = word_diff(old, new)
    assert "".join(text for op, text in diff if op != "insert") == old
    assert "".join(text for op, text in diff if op != "delete") == new


def words(text: str) -> list[str]:
    return re.sub(r"\s+(?=[^\w\s])", "", text).split()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "Khoản này quy định về trung cấp nghề.",
            "Khoản này quy định về cao đẳng nghề, trung cấp.",
        ),
        ("Điều 5. Quyền của người lao động", "Điều 6. Quyền và nghĩa vụ của người lao động"),
        ("", "Toàn bộ nội dung mới."),
        ("Nội dung bị bỏ.", ""),
        ("Dòng một\nDòng hai", "Dòng một\nDòng ba"),
        ("Điều này người", "Điều này, người"),
        ("công bằng, văn minh và", "công bằng và"),
        ("biết trước: a, trừ", "biết trước, trừ"),
        ("A, B, C.", "A D C."),
        ("A B, C", "A, C"),
    ],
)
def test_either_text_reads_back_from_the_diff(old, new):
    diff = word_diff(old, new)
    as_old = "".join(text for op, text in diff if op != "insert")
    as_new = "".join(text for op, text in diff if op != "delete")
    # Word for word; a space may stand before punctuation where a word around it changed.
    assert words(as_new) == words(new)
    assert words(as_old) == words(old)
    # No word glued to its neighbour (checked above); a changed segment ends with no space,
    # and starts with one only where the old text's words gave way to punctuation.
    for op, text in diff:
        if op != "equal":
            assert text == text.rstrip()
            assert op == "delete" or text == text.lstrip()


# The page


@pytest.fixture
def revised(draft):
    return publish_next_version(draft, revise)


def comparison(client, page, query="") -> str:
    response = client.get(f"{page.url}so-sanh/1-2/{query}")
    assert response.status_code == 200
    return response.content.decode()


def count(html: str, name: str) -> int:
    return int(re.search(rf'data-count="{name}">(\d+)<', html).group(1))


def test_counts_of_changed_new_removed_and_renumbered_provisions(client, revised):
    html = comparison(client, revised)
    assert (count(html, "changed"), count(html, "new"), count(html, "removed")) == (1, 1, 1)
    assert count(html, "renumbered") == 1


def test_a_renumbered_article_shows_as_renumbering_not_as_changed_text(client, revised):
    html = comparison(client, revised)
    group = html.split('id="dieu-3"', 1)[1].split("</section>", 1)[0]
    assert "Điều 2 → Điều 3" in group
    heading = group.split("</h2>", 1)[0]
    assert "<del>" not in heading and "<ins>" not in heading
    assert "sửa đổi" not in heading  # the article itself is not reworded


def test_the_reworded_clause_shows_a_word_diff_with_spaces_kept(client, revised):
    html = comparison(client, revised)
    clause = html.split('id="dieu-3-khoan-1"', 1)[1].split("</div>", 1)[0]
    assert "sửa đổi" in clause
    assert (
        'Cơ quan nhà nước <ins><span class="vh">đã thêm: </span>và tổ chức chính trị</ins>.'
        in clause
    )


def test_new_and_removed_provisions_are_listed(client, revised):
    html = comparison(client, revised)
    new = html.split('id="dieu-2"', 1)[1].split("</section>", 1)[0]
    assert "mới" in new and "Giải thích từ ngữ" in new
    assert '<ins><span class="vh">đã thêm: </span>Từ ngữ mới.</ins>' in new
    removed = html.split("Điều 5a", 1)[1].split("</section>", 1)[0]
    assert "bị bỏ" in removed
    assert '<del><span class="vh">đã xoá: </span>Nội dung điều bổ sung.</del>' in removed


def test_only_what_changed_by_default_and_a_link_to_the_whole_text(client, revised):
    html = comparison(client, revised)
    assert "Phạm vi điều chỉnh" not in html  # Điều 1, unchanged
    assert "Nguyên tắc." not in html  # a clause of Điều 5, unchanged
    assert f'href="{revised.url}so-sanh/1-2/?tat-ca=1"' in html
    whole = comparison(client, revised, "?tat-ca=1")
    assert "Phạm vi điều chỉnh" in whole
    assert "Nguyên tắc." in whole
    assert f'href="{revised.url}so-sanh/1-2/"' in whole
    # In the renumbered article, the unchanged clause is summed up, not shown.
    group = html.split('id="dieu-3"', 1)[1].split("</section>", 1)[0]
    assert "Tổ chức, cá nhân" not in group
    assert "quy định không thay đổi" in group


def test_the_comparison_is_plain_html(client, revised):
    html = comparison(client, revised)
    body = html.split('class="cmp"', 1)[1]
    assert "<script" not in body.split("</article>", 1)[0]
    assert "<del>" in body and "<ins>" in body


def test_unknown_versions_and_the_reverse_order(client, revised):
    for path in ("so-sanh/1-3/", "so-sanh/2-2/", "so-sanh/0-1/"):
        assert client.get(f"{revised.url}{path}").status_code == 404
    response = client.get(f"{revised.url}so-sanh/2-1/?tat-ca=1")
    assert response.status_code == 302
    assert response["Location"] == f"{revised.url}so-sanh/1-2/?tat-ca=1"


def test_a_new_publish_of_a_version_is_compared_at_once(client, revised):
    comparison(client, revised)  # cached

    def reword(body):
        article(body, "1")["value"]["intro"] = "Luật này quy định về đất đai và nhà ở."

    latest = revised.get_latest_revision_as_object()
    body = [dict(block) for block in latest.body.raw_data]
    reword(body)
    latest.body = body
    latest.save_revision().publish()
    html = comparison(client, revised)
    assert count(html, "changed") == 2
    assert "nhà ở" in html


def test_what_each_provision_owes_to_the_comments_is_shown_beside_it(client, revised):
    from drafts.models import Provision

    clause = Provision.objects.get(
        version__page=revised, version__number=2, anchor="dieu-3-khoan-1"
    )
    calls = []

    def traces(*, page, old, new):
        calls.append((page.pk, old.number, new.number))
        return {
            str(clause.key): [
                {
                    "citation": "Khoản 1 Điều 2",
                    "excerpt": "Nên thêm tổ chức chính trị.",
                    "author": "Nguyễn Văn A",
                    "version_number": 1,
                    "decision_label": "Tiếp thu",
                    "url": "/gop-y/1/",
                }
            ]
        }

    with hooks.register_temporarily(VERSION_COMPARISON_TRACES, traces):
        html = comparison(client, revised)
        comparison(client, revised)  # from the cache, still asked
    assert calls == [(revised.pk, 1, 2)] * 2
    item = html.split('id="dieu-3-khoan-1"', 1)[1].split("</div>", 1)[0]
    assert "Tiếp thu từ góp ý:" in item
    assert 'href="/gop-y/1/"' in item and "Nên thêm tổ chức chính trị." in item
    assert "Nguyễn Văn A" in item and "Dự thảo 1" in item
    assert html.count("Tiếp thu từ góp ý:") == 1


def test_articles_only_renumbered_are_summed_up_in_one_line(client, draft):
    from tests.factories import article_block

    def insert_before_5(body):
        five, five_a = article(body, "5"), article(body, "5a")
        five["value"]["number"], five_a["value"]["number"] = "6", "6a"
        body.insert(body.index(five), article_block("5", "Điều mới", intro="Nội dung mới."))

    revised = publish_next_version(draft, insert_before_5)
    html = comparison(client, revised)
    assert (count(html, "renumbered"), count(html, "new"), count(html, "changed")) == (2, 1, 0)
    run = html.split('class="cmp-renumbered-run"', 1)[1].split("</p>", 1)[0]
    assert "Đánh số lại, nội dung không đổi (2 điều):" in run
    assert 'id="dieu-6">Điều 5 → Điều 6</span>' in run
    assert 'id="dieu-6a">Điều 5a → Điều 6a</span>' in run
    assert "Quy hoạch sử dụng đất" not in html  # Điều 6's text, unchanged
    whole = comparison(client, revised, "?tat-ca=1")
    assert "cmp-renumbered-run" not in whole
    assert "Quy hoạch sử dụng đất" in whole.split('id="dieu-6"', 1)[1].split("</section>", 1)[0]


def test_a_clause_moved_to_another_article_says_where_it_came_from(client, draft):
    def move_clause(body):
        clause = article(body, "5")["value"]["clauses"].pop(0)  # "Nguyên tắc."
        clause["value"]["number"] = "1"
        article(body, "2")["value"]["clauses"].append(clause)
        clause["value"]["number"] = "3"
        article(body, "5")["value"]["clauses"][0]["value"]["number"] = "1"

    revised = publish_next_version(draft, move_clause)
    html = comparison(client, revised)
    assert count(html, "moved") == 1
    moved = html.split('id="dieu-2-khoan-3"', 1)[1].split("</div>", 1)[0]
    assert "chuyển từ Khoản 1 Điều 5" in moved
    assert "Nguyên tắc." in moved


def test_a_version_that_removes_thousands_of_provisions_is_compared(client, revised):
    """A new version with one article where the old text had hundreds: every removed
    provision follows the one before it, a chain far longer than Python's recursion limit."""
    import uuid

    from drafts.models import DraftVersion, Provision

    old = DraftVersion.objects.get(page=revised, number=1)
    last = Provision.objects.filter(version=old).order_by("-position").first().position
    Provision.objects.bulk_create(
        Provision(
            version=old,
            key=uuid.uuid4(),
            kind="paragraph",
            label=f"Đoạn {n}",
            citation=f"Đoạn {n}",
            text=f"Đoạn bị bỏ số {n}.",
            anchor=f"doan-bo-{n}",
            path=f"doan-bo-{n}",
            position=last + n,
        )
        for n in range(1, 1601)
    )
    html = comparison(client, revised)
    assert count(html, "removed") == 1 + 1600  # Điều 5a and the paragraphs
    assert html.index("Đoạn bị bỏ số 1.") < html.index("Đoạn bị bỏ số 1600.")
