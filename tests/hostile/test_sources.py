"""Hostile sources: special files, inputs past the byte bound, odd encodings."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

import ogi_report
from ogi_report import InputError, Report
from ogi_report.readers import MAX_BYTES
from ogi_report.writers.render import to_markdown

from .bounds import read_bounded

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_not_read(device: str) -> None:
    """/dev/zero used to be read until memory ran out."""
    if not Path(device).exists():
        pytest.skip(f"{device} does not exist here")
    outcome = read_bounded(device, seconds=5)
    assert isinstance(outcome, InputError)
    assert "not a regular file" in str(outcome)


@posix_only
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO with no writer used to block forever."""
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    outcome = read_bounded(fifo, seconds=5)
    assert isinstance(outcome, InputError)
    assert "not a regular file" in str(outcome)


@posix_only
def test_a_fifo_with_a_writer_is_refused_too(tmp_path: Path) -> None:
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR)  # a writer that keeps the pipe open (Linux semantics)
    try:
        os.write(writer, b"x" * 1024)
        outcome = read_bounded(fifo, seconds=5)
    finally:
        os.close(writer)
    assert isinstance(outcome, InputError)


@posix_only
def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        try:
            server.bind(str(path))
        except OSError:  # pragma: no cover - a path too long for AF_UNIX
            pytest.skip("cannot bind a UNIX socket here")
        outcome = read_bounded(path, seconds=5)
    assert isinstance(outcome, InputError)


def test_a_symlink_to_a_device_is_refused(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    link = tmp_path / "report.pdf"
    link.symlink_to("/dev/zero")
    assert isinstance(read_bounded(link, seconds=5), InputError)


@pytest.mark.parametrize("kind", ["bytes", "str"])
def test_input_past_the_byte_bound_is_refused_before_parsing(kind: str) -> None:
    """read(bytes) used to bypass MAX_BYTES: 70 MB of bytes ran out of memory."""
    data = b"1" * (MAX_BYTES + 1)
    source: bytes | str = data if kind == "bytes" else data.decode()
    outcome = read_bounded(source, seconds=10, memory=8 * 2**20)
    assert isinstance(outcome, InputError)
    assert str(MAX_BYTES) in str(outcome)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-16-le"])
def test_utf16_text_and_json_with_a_bom_are_read(codec: str) -> None:
    report = ogi_report.example_report("2021")
    bom = {"utf-16-be": "\ufeff", "utf-16-le": "\ufeff"}.get(codec, "")
    for text in (to_markdown(report), ogi_report.dumps(report).decode()):
        outcome = read_bounded((bom + text).encode(codec))
        assert isinstance(outcome, Report)
        assert outcome.values() == report.values()


def test_utf16_with_a_broken_byte_is_a_clear_error() -> None:
    data = "一、总体情况\n本年度".encode("utf-16") + b"\x00\xd8"  # a lone surrogate at the end
    outcome = read_bounded(data)
    assert isinstance(outcome, InputError)
    assert "UTF-16" in str(outcome) or "report" in str(outcome)
