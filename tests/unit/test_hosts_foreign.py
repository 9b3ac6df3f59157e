"""Other hosts lines that would defeat the block, a file emptied or replaced by a link."""

from __future__ import annotations

import stat
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from blocker.enforce.hosts import HostsFile, Neutralised
from blocker.hosts import hostsedit, hoststext
from blocker.hosts.hoststext import apply_section, remove_section

BLOCKED = ["alexblog.example.com", "www.alexblog.example.com"]
FOREIGN = "157.240.1.1 alexblog.example.com\n"
MIXED = "10.0.0.5\tnas.local AlexBlog.Example.com. # my nas\r\n"


def test_a_line_that_gives_a_blocked_name_a_real_address_is_turned_off_and_put_back() -> None:
    text = "127.0.0.1 localhost\n" + FOREIGN
    blocked = apply_section(text, BLOCKED)
    assert hoststext.OFF + FOREIGN in blocked
    assert remove_section(blocked) == text


def test_other_names_on_that_line_keep_their_address_on_a_line_of_ours_until_the_end() -> None:
    text = "127.0.0.1 localhost\n" + MIXED
    blocked = apply_section(text, BLOCKED)
    assert f"10.0.0.5 nas.local{hoststext.KEPT}\r\n{hoststext.OFF}{MIXED}" in blocked
    assert remove_section(blocked) == text


def test_sinks_and_comments_block_too_and_are_left_alone() -> None:
    text = "".join(
        f"{address} alexblog.example.com\n" for address in ("0.0.0.0", "::", "127.0.1.1", "::1")
    )
    text += "# 157.240.1.1 alexblog.example.com\n"
    assert apply_section(text, BLOCKED) == text + hoststext.section(BLOCKED, "\n")


def test_a_line_comes_back_when_its_name_stops_being_blocked() -> None:
    blocked = apply_section(FOREIGN + "192.0.2.9 other.example\n", [*BLOCKED, "other.example"])
    narrower = apply_section(blocked, ["other.example"])
    assert narrower.startswith(FOREIGN + hoststext.OFF + "192.0.2.9 other.example\n")


person_lines = st.lists(
    st.sampled_from(
        [
            "127.0.0.1 localhost",
            FOREIGN.rstrip("\n"),
            MIXED.rstrip("\n"),
            "  192.0.2.1 www.alexblog.example.com",
            "0x9d.0xf0.1.1 alexblog.example.com",
            "0.0.0.0 alexblog.example.com",
            "# a comment",
            "10.0.0.1 nas",
            "\r",
            "",
            "\xff odd",
        ]
    ),
    max_size=8,
)


@settings(max_examples=300)
@given(
    person_lines,
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
    st.lists(st.sampled_from(BLOCKED), max_size=2),
    st.lists(st.sampled_from(BLOCKED), max_size=2),
    st.integers(min_value=1, max_value=64),
)
def test_the_chunked_edit_gives_what_the_text_transform_gives_with_lines_to_turn_off(
    lines: list[str],
    eol: str,
    final: bool,
    first: list[str],
    then: list[str],
    chunk: int,
) -> None:
    text = eol.join(lines) + (eol if final and lines else "")
    data = hoststext.encode(text)
    for domains in (first, then, []):
        expected = hoststext.encode(apply_section(hoststext.decode(data), domains))
        edit = hostsedit.edit_for(data, domains, chunk)
        assert edit.apply(data) == expected
        assert edit.changed == (expected != data)
        data = expected
    assert data == hoststext.encode(text)


def hosts_file(tmp_path: Path, content: bytes) -> HostsFile:
    path = tmp_path / "etc" / "hosts"
    path.parent.mkdir()
    path.write_bytes(content)
    path.chmod(0o644)
    return HostsFile(path, tmp_path / "state" / "hosts.before-blocker")


ORIGINAL = b"127.0.0.1 localhost\n10.0.0.5 nas.local alexblog.example.com\n"


def test_the_enforcer_names_the_lines_it_turned_off_and_puts_them_back(tmp_path: Path) -> None:
    hosts = hosts_file(tmp_path, ORIGINAL)
    result = hosts.reconcile(BLOCKED)
    assert result.neutralised == (Neutralised(3, ("alexblog.example.com",)),)
    assert hosts.neutralised == result.neutralised
    with hosts.path.open("ab") as stream:  # added during the block
        stream.write(FOREIGN.encode())
    repaired = hosts.reconcile(BLOCKED)
    assert repaired.changed
    assert hoststext.OFF.encode() + FOREIGN.encode() in hosts.path.read_bytes()
    hosts.reconcile([])
    assert hosts.path.read_bytes() == ORIGINAL + FOREIGN.encode()
    assert not hosts.reconcile([]).neutralised


def test_an_emptied_file_gets_the_persons_lines_back_and_what_was_written_after(
    tmp_path: Path,
) -> None:
    hosts = hosts_file(tmp_path, ORIGINAL)
    hosts.reconcile(BLOCKED)
    assert stat.S_IMODE(hosts.lines.copy.stat().st_mode) == 0o600
    hosts.path.write_bytes(FOREIGN.encode())  # truncated, and the ex's address put in
    assert hosts.reconcile(BLOCKED).changed
    hosts.reconcile([])
    assert hosts.path.read_bytes() == ORIGINAL + FOREIGN.encode()
    assert not hosts.lines.copy.exists()


def test_an_ordinary_edit_of_the_persons_lines_during_the_block_is_kept(tmp_path: Path) -> None:
    hosts = hosts_file(tmp_path, ORIGINAL + b"10.0.0.9 printer\n")
    hosts.reconcile(BLOCKED)
    edited = hosts.path.read_bytes().replace(b"10.0.0.9 printer\n", b"")
    hosts.path.write_bytes(edited)
    hosts.reconcile(BLOCKED)
    hosts.path.write_bytes(b"")  # then emptied: the edited lines come back, not the old
    hosts.reconcile(BLOCKED)
    hosts.reconcile([])
    assert hosts.path.read_bytes() == ORIGINAL


def test_a_link_at_the_hosts_files_place_is_replaced_while_blocking_and_put_back(
    tmp_path: Path,
) -> None:
    hosts = hosts_file(tmp_path, ORIGINAL)
    hosts.reconcile(BLOCKED)
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    hosts.path.unlink()
    hosts.path.symlink_to(empty)  # ln -sf /tmp/empty /etc/hosts
    hosts.reconcile(BLOCKED)
    assert not hosts.path.is_symlink()
    assert empty.read_bytes() == b"", "nothing is written through the link"
    assert hosts.blocked() == frozenset(BLOCKED)
    assert hoststext.encode(remove_section(hosts.read())) == ORIGINAL
    hosts.reconcile([])
    assert hosts.path.readlink() == empty
    kept = hosts.backup.with_name("hosts.while-linked")
    assert kept.read_bytes() == ORIGINAL, "the lines the link hid are kept for the person"


def test_lines_added_after_our_section_are_in_the_copy_that_an_emptied_file_gets_back(
    tmp_path: Path,
) -> None:
    hosts = hosts_file(tmp_path, ORIGINAL)
    hosts.reconcile(BLOCKED)
    with hosts.path.open("ab") as stream:  # echo ... >> /etc/hosts, below our section
        stream.write(b"10.0.0.9 printer\n")
    hosts.reconcile(BLOCKED)
    hosts.path.write_bytes(b"")
    hosts.reconcile(BLOCKED)
    hosts.reconcile([])
    assert hosts.path.read_bytes() == ORIGINAL + b"10.0.0.9 printer\n"


@settings(max_examples=200)
@given(person_lines, st.lists(st.sampled_from(BLOCKED), max_size=2), st.booleans())
def test_a_scan_resumed_from_what_was_learnt_of_the_persons_lines_equals_a_full_one(
    lines: list[str], domains: list[str], crlf: bool
) -> None:
    from blocker.hosts.hostsscan import Scanner

    eol = "\r\n" if crlf else "\n"
    person = hoststext.encode(eol.join(lines) + eol if lines else "")
    data = person + hoststext.encode(hoststext.section(["x.example"], eol))
    first = Scanner([], count_lines=True)
    first.feed(data)
    first.finish()
    prefix = first.prefix(len(person), data, 0)
    assert prefix is not None
    resumed = Scanner(domains, count_lines=True, prefix=prefix)
    resumed.feed(data[len(person) :])
    full = Scanner(domains, count_lines=True)
    full.feed(data)
    got, want = resumed.finish(), full.finish()
    assert (got.size, got.first_marker, got.crlf, got.lf, got.own_line) == (
        want.size,
        want.first_marker,
        want.crlf,
        want.lf,
        want.own_line,
    )
    assert [(line.offset, line.data) for line in got.lines] == [
        (line.offset, line.data) for line in want.lines
    ]
