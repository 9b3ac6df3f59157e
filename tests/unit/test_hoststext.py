"""The hosts-file text transform: our section in and out, everything else byte-for-byte."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from blocker.hosts import hostsedit, hoststext
from blocker.hosts.hoststext import BEGIN, END, apply_section, blocked_names, remove_section

DOMAINS = ["alexblog.example.com", "www.alexblog.example.com"]

# Any text a decoded hosts file may hold: every code point but surrogates (undecodable
# bytes are covered by the bytes test below), CR, tabs, a BOM, other tools' sections.
host_lines = st.lists(
    st.one_of(
        st.text(
            alphabet=st.characters(codec="utf-8", exclude_characters="\n"),
            max_size=40,
        ),
        st.sampled_from(
            [
                "127.0.0.1 localhost",
                "# >>> other tool >>>",
                "::1 ip6-localhost",
                "\ufeff# bom",
                "0.0.0.0 ads.example",
                "\r",
                "",
            ]
        ),
    ),
    max_size=12,
)
endings = st.sampled_from(["\n", "\r\n"])


def is_ours(line: str) -> bool:
    """Whether a person's line would look like one blocker writes."""
    return any(mark in line for mark in (BEGIN, END, hoststext.OFF, hoststext.KEPT.strip()))


def join(lines: list[str], eol: str, final: bool) -> str:
    text = eol.join(lines)
    return text + eol if final and lines else text


@settings(max_examples=400)
@given(host_lines, endings, st.booleans(), st.lists(st.sampled_from(DOMAINS), max_size=3))
@example(["a"], "\r\n", False, DOMAINS)
@example(["a\r"], "\n", False, DOMAINS)
@example([], "\n", False, DOMAINS)
def test_applying_then_removing_returns_the_text_byte_for_byte(
    lines: list[str], eol: str, final: bool, domains: list[str]
) -> None:
    text = join([line for line in lines if not is_ours(line)], eol, final)
    applied = apply_section(text, domains)
    assert remove_section(applied) == text
    assert apply_section(applied, domains) == applied  # idempotent
    assert blocked_names(applied) == frozenset(domains)
    raw = hoststext.encode(applied)
    assert hoststext.encode(remove_section(hoststext.decode(raw))) == hoststext.encode(text)


@given(st.binary(max_size=200))
def test_any_bytes_survive_the_round_trip(data: bytes) -> None:
    text = hoststext.decode(data)
    if BEGIN in text or END in text:
        return
    assert hoststext.encode(remove_section(apply_section(text, DOMAINS))) == data


def test_the_section_says_who_manages_it_and_sinks_ipv4_and_ipv6() -> None:
    applied = apply_section("127.0.0.1 localhost\n", ["alexblog.example.com"])
    assert applied == (
        "127.0.0.1 localhost\n"
        f"{BEGIN}\n{hoststext.HEADER[0]}\n{hoststext.HEADER[1]}\n# blocker: 1 names\n"
        "0.0.0.0 alexblog.example.com\n:: alexblog.example.com\n"
        f"{END}\n"
    )


def test_a_crlf_file_gets_a_crlf_section() -> None:
    applied = apply_section("127.0.0.1 localhost\r\n", ["a.example"])
    assert "\n" not in applied.replace("\r\n", "")


def test_an_existing_section_is_replaced_where_it_stands() -> None:
    first = apply_section("a\n", ["one.example"]) + "b\n"
    second = apply_section(first, ["two.example"])
    assert second.startswith("a\n" + BEGIN)
    assert second.endswith(END + "\nb\n")
    assert blocked_names(second) == {"two.example"}


def test_two_sections_left_by_a_crash_are_repaired_into_one() -> None:
    section = hoststext.section(["one.example"], "\n")
    text = "a\n" + section + "b\n" + section
    repaired = apply_section(text, ["one.example"])
    assert repaired.count(BEGIN) == 1
    assert repaired.count(END) == 1
    assert remove_section(repaired) == "a\nb\n"


def test_a_section_whose_end_marker_was_deleted_takes_only_the_lines_it_announced() -> None:
    ours = hoststext.section(["one.example"], "\n").replace(END + "\n", "")
    ad_block_list = "0.0.0.0 ads.example\n0.0.0.0 tracker.example\n"
    assert remove_section("a\n" + ours + ad_block_list) == "a\n" + ad_block_list
    assert remove_section(f"a\n{BEGIN}\n{ad_block_list}") == "a\n" + ad_block_list


def test_a_section_cut_short_by_an_interrupted_write_is_taken_out_whole() -> None:
    whole = hoststext.section(["one.example", "two.example"], "\n")
    # Every cut until the end marker is complete (a complete one without its newline is the
    # form a section takes at the end of a file that had no final newline).
    for cut in range(3, len(whole) - 1):
        assert remove_section("a\n" + whole[:cut]) == "a\n", whole[:cut]


def test_a_stray_end_marker_is_dropped() -> None:
    assert remove_section(f"a\n{END}\nb\n") == "a\nb\n"


def test_an_empty_block_means_no_section_at_all() -> None:
    text = "127.0.0.1 localhost\n"
    assert apply_section(apply_section(text, DOMAINS), []) == text


def test_a_foreign_line_that_maps_a_blocked_name_is_found_with_its_line_number() -> None:
    text = "127.0.0.1 localhost\n192.0.2.1 nas AlexBlog.example.com # old\n"
    assert hostsedit.foreign_entries(text.encode(), DOMAINS) == {"alexblog.example.com": 2}
    first_line = "192.0.2.1 alexblog.example.com\n"
    assert hostsedit.foreign_entries(first_line.encode(), DOMAINS) == {"alexblog.example.com": 1}


def test_comments_and_lines_that_sink_a_blocked_name_do_not_count_as_foreign() -> None:
    # An ad-blocking list that already sinks the name blocks it too; only a real address
    # defeats the block.
    others = "# 192.0.2.1 alexblog.example.com\n0.0.0.0 alexblog.example.com\n"
    others += "  127.0.0.1\twww.alexblog.example.com\n:: alexblog.example.com\n"
    text = apply_section(others, DOMAINS)
    assert hostsedit.foreign_entries(text.encode(), DOMAINS) == {}


# Files as bytes, built to hit every case of the quick path and of the full parse: no
# section, an intact one anywhere, a damaged or doubled one, stray or indented markers.
_SECTION = hoststext.section(["one.example"], "\n")
file_pieces = st.lists(
    st.sampled_from(
        [
            b"127.0.0.1 localhost\n",
            b"10.0.0.1 nas\r\n",
            b"\xff\xfe odd bytes\n",
            b"no final newline",
            b"\r\n",
            _SECTION.encode(),
            _SECTION.replace("\n", "\r\n").encode(),
            _SECTION.encode()[:-1],
            _SECTION.encode()[:60],
            (BEGIN + "\n").encode(),
            (END + "\n").encode(),
            (" " + END + "\n").encode(),
            ("x" + BEGIN + "\n").encode(),
        ]
    ),
    max_size=6,
).map(b"".join)


@settings(max_examples=600)
@given(file_pieces, st.lists(st.sampled_from(DOMAINS), max_size=2))
def test_editing_the_bytes_gives_exactly_what_the_text_transform_gives(
    data: bytes, domains: list[str]
) -> None:
    expected = hoststext.encode(apply_section(hoststext.decode(data), domains))
    edit = hostsedit.edit_for(data, domains)
    assert edit.apply(data) == expected
    assert edit.changed == (expected != data)


@given(st.sampled_from([b"127.0.0.1 localhost\n", b"a\r\nb\r\n", b""]))
def test_starting_changing_and_ending_a_block_touch_only_the_end_of_the_file(
    original: bytes,
) -> None:
    edits = [DOMAINS, DOMAINS[:1], [], DOMAINS]
    current = original
    for domains in edits:
        edit = hostsedit.edit_for(current, domains)
        assert edit.only_ours_at_the_end
        assert edit.splices[0].start >= len(original)
        current = edit.apply(current)
        if not domains:
            assert current == original


def test_a_file_without_a_final_newline_gets_and_loses_its_section_in_one_step() -> None:
    original = b"127.0.0.1 localhost\n10.0.0.1 nas"
    starting = hostsedit.edit_for(original, DOMAINS)
    blocked = starting.apply(original)
    ending = hostsedit.edit_for(blocked, [])
    assert ending.apply(blocked) == original
    assert not starting.only_ours_at_the_end
    assert not ending.only_ours_at_the_end


def test_a_section_in_the_middle_is_not_an_edit_at_the_end() -> None:
    text = hostsedit.edit_for(b"a\n", DOMAINS).apply(b"a\n") + b"b\n"
    assert not hostsedit.edit_for(text, []).only_ours_at_the_end
    damaged = text.replace(hoststext.END.encode(), b"")
    assert hostsedit.edit_for(damaged, DOMAINS).whole


@given(
    st.lists(st.sampled_from([*DOMAINS, "x.example", "long.alexblog.example.com"]), max_size=4),
    st.lists(st.sampled_from([*DOMAINS, "y.example"]), max_size=4),
    st.integers(min_value=0, max_value=400),
)
def test_a_section_change_cut_short_anywhere_is_still_taken_out_whole(
    old: list[str], new: list[str], cut: int
) -> None:
    """What the in-place edit leaves when it is killed: the file cut where our section
    starts, and any part of the new section after it."""
    original = b"127.0.0.1 localhost\n0.0.0.0 ads.example\n"
    current = hostsedit.edit_for(original, old).apply(original)
    edit = hostsedit.edit_for(current, new)
    if not edit.splices:
        return
    (splice,) = edit.splices
    if cut in (1, 2):
        cut = 0  # "#" or "# " alone could be the person's own last line (hoststext.py)
    if cut == len(splice.insert) - 1:
        # All but the last newline is the very form a whole section takes after a last
        # line that had no newline, so the parse takes the newline before it as ours: the
        # one cut that costs the person a final newline (said in hostsedit.py).
        cut = len(splice.insert)
    interrupted = hoststext.decode(current[: splice.start] + splice.insert[:cut])
    assert hoststext.encode(remove_section(interrupted)) == original
    assert hoststext.encode(apply_section(interrupted, new)) == edit.apply(current)
