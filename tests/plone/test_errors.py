"""What a value the caller sent becomes when the core or a parser refuses it or it is too long."""

import pytest

from onlyoffice_plone.errors import LOGGED_CHARS
from onlyoffice_plone.errors import MAX_SEARCH
from onlyoffice_plone.errors import OnlyofficeError
from onlyoffice_plone.errors import bad_request_on
from onlyoffice_plone.errors import search_text


def test_a_refused_value_is_a_400_with_its_message_and_a_bounded_detail():
    with pytest.raises(OnlyofficeError) as raised, bad_request_on(ValueError, "Send a number."):
        raise ValueError("x" * 1000)
    error = raised.value
    assert (error.kind, error.message, error.status) == ("BadRequest", "Send a number.", 400)
    assert error.detail.startswith("x" * LOGGED_CHARS)
    assert "(1000 characters)" in error.detail and len(error.detail) < 300
    assert isinstance(error.__cause__, ValueError)


def test_a_given_detail_stands_for_the_errors_own_text():
    with (
        pytest.raises(OnlyofficeError) as raised,
        bad_request_on((TypeError, ValueError), "Send a link.", detail="https://… refused"),
    ):
        raise TypeError("the signed URL")
    assert raised.value.detail == "https://… refused"


def test_other_errors_pass_through_and_a_clean_block_raises_nothing():
    with pytest.raises(KeyError), bad_request_on(ValueError, "Send a number."):
        raise KeyError("not refused input: a bug")
    with bad_request_on(ValueError, "Send a number."):
        value = int("7")
    assert value == 7


def test_a_search_text_is_taken_up_to_its_bound():
    assert search_text("x" * MAX_SEARCH) == "x" * MAX_SEARCH
    with pytest.raises(OnlyofficeError) as raised:
        search_text("x" * (MAX_SEARCH + 1))
    assert (raised.value.kind, raised.value.status) == ("BadRequest", 400)
    assert raised.value.message == "The search text is too long."
