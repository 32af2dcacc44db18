"""What changed between two versions of a covenant, clause by clause (covenants.versions): a clause
is compared with the clause of the same number only, word by word; two different clauses under one
number are shown replaced whole, never their characters interleaved."""

from covenants.versions import ADDED, CHANGED, REMOVED, SAME, compare_clauses, text_segments


def segments(old: str, new: str) -> list[tuple[str, str]]:
    return [(segment.op, segment.text) for segment in text_segments(old, new)]


def test_a_clause_inserted_before_others_shows_each_renumbered_number_replaced_whole_not_interleaved():
    old = [(1, "红白喜事从简办理，不大操大办。"), (2, "饲养犬只须办理登记，外出拴绳。")]
    new = [
        (1, "红白喜事从简办理，不大操大办。"),
        (2, "爱护公共设施，不乱贴乱画。"),
        (3, "饲养犬只须办理登记，外出拴绳。"),
    ]

    changes = compare_clauses(old, new)

    assert [(change.number, change.kind) for change in changes] == [(1, SAME), (2, CHANGED), (3, ADDED)]
    assert [(s.op, s.text) for s in changes[1].segments] == [
        ("delete", "饲养犬只须办理登记，外出拴绳。"),
        ("insert", "爱护公共设施，不乱贴乱画。"),
    ]


def test_two_different_clauses_under_one_number_are_never_interleaved():
    assert segments("红白喜事从简办理，不大操大办。", "饲养犬只须办理登记，外出拴绳。") == [
        ("delete", "红白喜事从简办理，不大操大办。"),
        ("insert", "饲养犬只须办理登记，外出拴绳。"),
    ]


def test_an_edit_within_a_clause_marks_only_the_words_changed():
    assert segments("饲养犬只须办理登记。", "饲养犬只须到村委会办理登记。") == [
        ("equal", "饲养犬只须"),
        ("insert", "到村委会"),
        ("equal", "办理登记。"),
    ]


def test_a_number_changes_as_one_word():
    assert segments("违者罚款50元。", "违者罚款100元。") == [
        ("equal", "违者罚款"),
        ("delete", "50"),
        ("insert", "100"),
        ("equal", "元。"),
    ]


def test_a_stray_character_in_common_does_not_split_a_change():
    """One character kept between two changes (丢) is folded into them: one phrase out, one in."""
    assert segments("不得乱丢垃圾杂物", "不得乱倒污水丢弃杂物") == [
        ("equal", "不得乱"),
        ("delete", "丢垃圾"),
        ("insert", "倒污水丢弃"),
        ("equal", "杂物"),
    ]


def test_the_texts_are_kept_whole_in_their_segments():
    for old, new in [
        ("红白喜事从简办理。", "饲养犬只须办理登记。"),
        ("饲养犬只须办理登记。", "饲养犬只须到村委会办理登记。"),
        ("违者罚款50元。", "违者罚款100.5元，并通报。"),
    ]:
        parts = text_segments(old, new)
        assert "".join(s.text for s in parts if s.op != "insert") == old
        assert "".join(s.text for s in parts if s.op != "delete") == new


def test_removed_and_same_clauses_keep_their_kinds():
    changes = compare_clauses([(1, "同"), (2, "旧")], [(1, "同")])

    assert [(change.number, change.kind) for change in changes] == [(1, SAME), (2, REMOVED)]
