from datetime import timedelta

import pytest
from django.utils import timezone

from consult.opinions.models import OpinionInvitation, OpinionRequest
from tests import factories

SENT = "/admin/consult/opinions/sent/"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="cong-van.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def justice(db):
    return factories.AgencyFactory(name="Bộ Tư pháp", code="BTP", slug="bo-tu-phap")


@pytest.fixture
def finance(db):
    return factories.AgencyFactory(name="Bộ Tài chính", code="BTC", slug="bo-tai-chinh")


@pytest.fixture
def outsider_agency(db):
    return factories.AgencyFactory(name="Bộ Y tế", code="BYT", slug="bo-y-te")


@pytest.fixture
def drafter(agency):
    return factories.agency_staff(agency, "soanthao")


@pytest.fixture
def clerk(justice):
    person = factories.agency_staff(justice, "vanthu.btp")
    person.first_name, person.last_name = "Văn", "Thư"
    person.save()
    return person


@pytest.fixture
def finance_clerk(finance):
    return factories.agency_staff(finance, "vanthu.btc", admin_language="en")


@pytest.fixture
def outsider(outsider_agency):
    return factories.agency_staff(outsider_agency, "bientap.byt")


def send(client, draft, invited, **extra):
    data = {
        "draft": draft.pk,
        "agencies": [a.pk for a in invited],
        "subject": "Đề nghị góp ý dự thảo Luật Đất đai",
        "reference": "123/BTNMT-PC",
        "message": "Đề nghị Quý cơ quan góp ý.",
        "deadline": (timezone.localdate() + timedelta(days=15)).isoformat(),
        "letter": pdf(),
    }
    data.update(extra)
    return client.post(f"{SENT}new/", data, follow=True)


@pytest.fixture
def sent(client, draft, drafter, justice, finance):
    client.force_login(drafter)
    send(client, draft, [justice, finance])
    client.logout()
    return OpinionRequest.objects.get()


@pytest.fixture
def invitation(sent, justice):
    return OpinionInvitation.objects.get(request=sent, agency=justice)
