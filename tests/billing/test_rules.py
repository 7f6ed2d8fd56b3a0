"""The billing service's pure rules: business ids, roster files, member number hashes, answers."""

import pytest

from services.billing.business_id import check_digit, is_business_id
from services.billing.eligibility import eligibility_answer
from services.billing.rosters import (
    RosterProblems,
    member_number_hash,
    read_roster,
    roster_hashes,
)

KEY = b"test-key"


@pytest.mark.parametrize("business_id", ["0112038-9", "0737546-2", "1572860-0", "2617416-4"])
def test_business_ids_with_the_right_check_digit_are_valid(business_id):
    assert is_business_id(business_id)


@pytest.mark.parametrize(
    "business_id",
    ["0112038-8", "112038-9", "01120389", "0112038-", "0112038-9 ", "O112038-9", ""],
)
def test_wrong_check_digit_or_shape_is_not_a_business_id(business_id):
    assert not is_business_id(business_id)


def test_remainder_zero_gives_check_digit_zero():
    assert check_digit("1572860") == 0
    assert is_business_id("1572860-0")


def test_remainder_one_gives_no_valid_business_id():
    assert check_digit("0000006") is None
    assert not any(is_business_id(f"0000006-{digit}") for digit in range(10))


def problems_of(text: str, label: str = "Jäsennumero", max_rows: int = 100) -> list[str]:
    with pytest.raises(RosterProblems) as caught:
        read_roster(text, label, max_rows)
    return caught.value.problems


def test_roster_reads_one_member_number_per_line():
    assert read_roster("A-1\nB-2\nC-3\n", "Jäsennumero", 100) == ["a-1", "b-2", "c-3"]


def test_roster_tolerates_bom_header_separators_quotes_blank_lines_and_crlf():
    text = '\ufeffJäsennumero;\r\n"10001";\r\n\r\n 10002 ,\r\n;;\r\n10003\r\n'
    assert read_roster(text, "Jäsennumero", 100) == ["10001", "10002", "10003"]


@pytest.mark.parametrize("header", ["member_number", "Member number", "jäsennumero", "ID"])
def test_usual_header_names_are_skipped(header):
    assert read_roster(f"{header}\n123\n", "Jäsennumero", 100) == ["123"]


def test_the_subscribers_own_label_is_accepted_as_the_header():
    text = "Henkilöstönumero\nH-77\n"
    assert read_roster(text, "Henkilöstönumero", 100) == ["h-77"]


def test_a_header_is_only_recognised_on_the_first_line():
    assert problems_of("123\njäsennumero\n") == [
        "line 2: 'ä' is not allowed in a member number "
        "(use letters A-Z, digits, '-', '_', '/' and spaces)"
    ]


def test_member_numbers_are_kept_once_however_they_are_typed():
    assert read_roster("ab 12\nAB  12\n  ab 12 \n", "Jäsennumero", 100) == ["ab 12"]


def test_a_line_with_several_values_is_refused_naming_its_line():
    problems = problems_of("member_number\n1001\n1002\n1003\n1004\n1005\n1006;2006\n1007\n")
    assert problems == ["line 7: several values; give one member number per line"]


def test_every_bad_line_is_named():
    problems = problems_of("1001\n10#02\n1003\n" + "x" * 65 + "\n")
    assert problems == [
        "line 2: '#' is not allowed in a member number "
        "(use letters A-Z, digits, '-', '_', '/' and spaces)",
        "line 4: longer than 64 characters",
    ]


def test_an_identity_code_in_a_roster_is_refused():
    assert problems_of("1001\n131052-308T\n") == [
        "line 2: a personal identity code (henkilötunnus), not a member number"
    ]


def test_a_roster_longer_than_the_limit_is_refused_at_the_first_line_too_many():
    problems = problems_of("member_number\n1\n2\n\n3\n4\n", max_rows=3)
    assert problems == ["line 6: a roster may have at most 3 member numbers"]


def test_a_roster_without_member_numbers_is_refused():
    assert problems_of("\ufeffjäsennumero\n\n;\n") == ["The file has no member numbers."]


def test_member_number_hashes_are_keyed_and_ignore_case_and_spacing():
    assert member_number_hash(KEY, " ab  12 ") == member_number_hash(KEY, "AB 12")
    assert member_number_hash(KEY, "AB 12") != member_number_hash(b"another-key", "AB 12")
    assert member_number_hash(KEY, "AB 12") != member_number_hash(KEY, "AB 13")
    assert len(member_number_hash(KEY, "AB 12")) == 32


def test_roster_hashes_hold_no_plain_member_number():
    hashes = roster_hashes("10001\n10002\n", "Jäsennumero", 100, KEY)
    assert hashes == [member_number_hash(KEY, "10001"), member_number_hash(KEY, "10002")]
    assert not any(b"1000" in digest for digest in hashes)


SUBSCRIBER = {"name": "Demo-liitto", "eligibility_method": "roster", "roster_members": 2}


def test_roster_answer_says_eligible_or_not_and_that_the_roster_decided():
    assert eligibility_answer(SUBSCRIBER, on_roster=True)["decision"] == "eligible"
    refused = eligibility_answer(SUBSCRIBER, on_roster=False)
    assert refused["decision"] == "not_eligible"
    assert refused["rule"] == "roster"
    assert "not on Demo-liitto's member roster" in refused["reason"]


def test_without_a_roster_the_answer_says_none_was_supplied():
    answer = eligibility_answer(dict(SUBSCRIBER, roster_members=0), on_roster=False)
    assert answer["decision"] == "not_eligible"
    assert "has not supplied its member roster" in answer["reason"]


def test_manual_answer_is_pending():
    answer = eligibility_answer(dict(SUBSCRIBER, eligibility_method="manual"), on_roster=False)
    assert answer == {
        "decision": "pending",
        "rule": "manual",
        "reason": "Demo-liitto confirms each member's eligibility; an administrator will decide.",
    }
