"""The sentences that state a meeting rule (rights_lists.rules, rights_lists.choices.Fraction):
worded from the rule's fraction, "超过半数" where the rule is strict and "不少于" where it is not,
never "达到"; each citing the rule's source from its data, a configurable local practice as
"本区规定", never as the portal's default."""

import pytest

from rights_lists import rules
from rights_lists.choices import (
    AT_LEAST_HALF,
    AT_LEAST_TWO_THIRDS,
    DEFAULT_MEETING_RULES,
    MORE_THAN_HALF,
    Body,
    Fraction,
)
from rights_lists.pages.base import describe_rule

Meeting = rules.Meeting


@pytest.mark.parametrize(
    ("fraction", "words", "met", "missed"),
    [
        (AT_LEAST_HALF, "不少于半数", "不少于", "不足"),
        (MORE_THAN_HALF, "超过半数", "超过", "未超过"),
        (AT_LEAST_TWO_THIRDS, "不少于三分之二", "不少于", "不足"),
        (Fraction(3, 5, strict=True), "超过3/5", "超过", "未超过"),
    ],
)
def test_a_fraction_is_worded_from_its_strictness(fraction, words, met, missed):
    assert (fraction.words(), fraction.relation(), fraction.shortfall()) == (words, met, missed)


# Each body's rule: its source, what the step form says, and the sentence of an adopting vote
# (exactly the minimum) and of a failing one (one fewer).
BODIES = {
    Body.PARTY_COMMITTEE: (
        "《中国共产党支部工作条例（试行）》第十三条",
        "到会人数不少于应到人数的半数",
        "赞成票超过全体成员（应到人数）的半数",
        Meeting(expected=5, present=4, votes_for=3),
        "赞成 3 票，超过全体成员 5 人的半数（至少 3 票），通过。",
        "赞成 2 票，未超过全体成员 5 人的半数（至少 3 票），未通过。",
    ),
    Body.TWO_COMMITTEES: (
        "本区规定",
        "到会人数超过应到人数的半数",
        "赞成票超过全体成员（应到人数）的半数",
        Meeting(expected=8, present=6, votes_for=5),
        "赞成 5 票，超过全体成员 8 人的半数（至少 5 票），通过。",
        "赞成 4 票，未超过全体成员 8 人的半数（至少 5 票），未通过。",
    ),
    Body.PARTY_ASSEMBLY: (
        "《中国共产党支部工作条例（试行）》第十二条",
        "到会人数不少于应到人数的半数",
        "赞成票超过应到会人数（不是到会人数）的半数",
        Meeting(expected=30, present=20, votes_for=16),
        "赞成 16 票，超过应到会 30 人的半数（至少 16 票），通过。",
        "赞成 15 票，未超过应到会 30 人的半数（至少 16 票），未通过。",
    ),
    Body.REPRESENTATIVE_ASSEMBLY: (
        "《村民委员会组织法》第二十六条",
        "到会人数不少于应到人数的三分之二",
        "赞成票超过到会人数的半数",
        Meeting(expected=30, present=20, votes_for=11),
        "赞成 11 票，超过到会 20 人的半数（至少 11 票），通过。",
        "赞成 10 票，未超过到会 20 人的半数（至少 11 票），未通过。",
    ),
    Body.VILLAGERS_ASSEMBLY: (
        "《村民委员会组织法》第二十二条",
        "到会人数超过应到人数的半数，或到会户代表不少于应到户数的三分之二",
        "赞成票超过到会人数的半数",
        Meeting(expected=100, present=60, votes_for=31),
        "赞成 31 票，超过到会 60 人的半数（至少 31 票），通过。",
        "赞成 30 票，未超过到会 60 人的半数（至少 31 票），未通过。",
    ),
    Body.TOWN: (
        "本区规定",
        "到会人数超过应到人数的半数",
        "赞成票超过全体成员（应到人数）的半数",
        Meeting(expected=7, present=5, votes_for=4),
        "赞成 4 票，超过全体成员 7 人的半数（至少 4 票），通过。",
        "赞成 3 票，未超过全体成员 7 人的半数（至少 4 票），未通过。",
    ),
}


def test_every_body_has_its_sentences_tested():
    assert set(BODIES) == set(DEFAULT_MEETING_RULES)


@pytest.mark.parametrize("body", BODIES)
def test_each_bodys_rule_reads_as_its_source_states_it(body):
    source, quorum, majority, meeting, adopted, refused = BODIES[body]
    rule = DEFAULT_MEETING_RULES[body]
    fewer = Meeting(expected=meeting.expected, present=meeting.present, votes_for=meeting.votes_for - 1)

    described = describe_rule(rule)

    assert str(rule.source) == source
    assert (described["quorum"], described["majority"], str(described["source"])) == (quorum, majority, source)
    assert rules.majority_outcome(rule, meeting) == f"{source}：{adopted}"
    assert rules.majority_outcome(rule, fewer) == f"{source}：{refused}"


@pytest.mark.parametrize("body", BODIES)
def test_no_rule_is_cited_as_the_portals_default_nor_as_reached(body):
    rule = DEFAULT_MEETING_RULES[body]
    sentences = [
        str(rule.source),
        rules.majority_outcome(rule, BODIES[body][3]),
        rules.quorum_refusal(rule, Meeting(expected=10, present=1, votes_for=1)),
        *map(str, describe_rule(rule).values()),
    ]

    for sentence in sentences:
        assert "本系统默认" not in sentence and "达到" not in sentence


def test_a_quorum_refusal_words_a_strict_and_a_non_strict_quorum_each_its_way():
    strict = rules.quorum_refusal(DEFAULT_MEETING_RULES[Body.TWO_COMMITTEES], Meeting(8, 4, 4))
    at_least = rules.quorum_refusal(DEFAULT_MEETING_RULES[Body.REPRESENTATIVE_ASSEMBLY], Meeting(20, 13, 10))

    assert strict == "两委联席会议不能召开（本区规定）：到会人数 4 未超过应到 8 人的半数（至少 5 人）。"
    assert at_least == (
        "村民代表会议不能召开（《村民委员会组织法》第二十六条）：到会人数 13 不足应到 20 人的三分之二（至少 14 人）。"
    )


def test_a_villagers_assembly_without_enough_households_says_so_too():
    message = rules.quorum_refusal(
        DEFAULT_MEETING_RULES[Body.VILLAGERS_ASSEMBLY],
        Meeting(expected=100, present=50, votes_for=40, households=30, households_present=19),
    )

    assert message.endswith("；到会户代表 19 户也不足应到 30 户的三分之二（至少 20 户）。")
