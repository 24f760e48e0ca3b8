import pytest

from againsthate.services.accounts import AccountError
from againsthate.services.cases import CaseError
from againsthate.services.content import ContentError
from againsthate.services.errors import ServiceError
from againsthate.services.retention import NotErasable


@pytest.mark.parametrize("kind", [AccountError, CaseError, ContentError, NotErasable])
def test_every_error_a_person_can_put_right_is_a_service_error_with_a_reason(kind):
    with pytest.raises(ServiceError) as raised:
        raise kind("some_reason")
    assert type(raised.value) is kind
    assert raised.value.reason == "some_reason" and str(raised.value) == "some_reason"


def test_an_account_error_still_carries_a_pause():
    assert AccountError("locked").paused is None
