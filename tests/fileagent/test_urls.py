from pathlib import Path

import pytest

from teahouse.fileagent import InvalidURL, redact
from teahouse.fileagent._urls import Scheme, basename, data_bytes, file_path, fusion_path, parse


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://bucket.s3.amazonaws.com/a/b.enc?X-Amz-Signature=secret",
            "https://bucket.s3.amazonaws.com/a/b.enc?…",
        ),
        ("http://user:pw@host:8080/x", "http://host:8080/x"),
        ("http://[::1]:81/y", "http://[::1]:81/y"),
        ("data:text/plain;base64,c2VjcmV0", "data:text/plain;base64,<8 characters>"),
        ("fusion:///TEACLAVE_FUSION_BASE/a.fusion", "fusion:///TEACLAVE_FUSION_BASE/a.fusion"),
        ("file:///tmp/x#frag", "file:///tmp/x"),
    ],
)
def test_redact_hides_secrets(url: str, shown: str) -> None:
    assert redact(url) == shown


@pytest.mark.parametrize(
    ("url", "cause"),
    [
        ("s3://bucket/key", "unsupported URL scheme 's3'"),
        ("ftp://host/x", "unsupported URL scheme 'ftp'"),
        ("/just/a/path", "unsupported URL scheme '(none)'"),
        ("http:///nohost", "URL has no host"),
        ("http://host:99999/x", "URL has an invalid port"),
        ("http://[::1/x", "malformed URL"),
    ],
)
def test_bad_urls(url: str, cause: str) -> None:
    with pytest.raises(InvalidURL, match="^.*: " + cause.replace("(", r"\(").replace(")", r"\)")):
        parse(url)


def test_schemes() -> None:
    assert [parse(u)[0] for u in ["FILE:///x", "http://h/", "HTTPS://h/", "data:,x", "fusion:///x"]] == [
        Scheme.FILE,
        Scheme.HTTP,
        Scheme.HTTPS,
        Scheme.DATA,
        Scheme.FUSION,
    ]


def test_basename_keeps_percent_encoding() -> None:
    assert basename("http://h/dir/my%20file.enc?sig=1") == "my%20file.enc"
    assert basename("fusion:///TEACLAVE_FUSION_BASE/ab.fusion") == "ab.fusion"
    assert basename("http://h/") == ""


def test_file_path(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    (root / "a b").mkdir()
    url = f"file://{root}/a%20b/c"
    assert file_path(url, parse(url)[1], (root,)) == root / "a b" / "c"
    url = f"file://localhost{root}/x"
    assert file_path(url, parse(url)[1], (root,)) == root / "x"
    for url in ["file://otherhost/tmp/x", "file:relative/x"]:
        with pytest.raises(InvalidURL):
            file_path(url, parse(url)[1], (root,))


def test_file_urls_stay_inside_the_shared_folders(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "link").symlink_to("/etc/passwd")
    (shared / "dirlink").symlink_to("/etc")
    for url in [
        "file:///etc/passwd",
        f"file://{shared}/../secret",
        f"file://{shared}/link",
        f"file://{shared}/dirlink/new-file",
    ]:
        with pytest.raises(InvalidURL, match="inside the folders this node shares"):
            file_path(url, parse(url)[1], (shared,))
    with pytest.raises(InvalidURL, match="none are configured"):
        file_path(f"file://{shared}/x", parse(f"file://{shared}/x")[1], ())


def test_fusion_path(tmp_path: Path) -> None:
    url = "fusion:///TEACLAVE_FUSION_BASE/sub/x.fusion"
    assert fusion_path(url, parse(url)[1], tmp_path) == tmp_path / "sub" / "x.fusion"
    with pytest.raises(InvalidURL, match="need a fusion base directory"):
        fusion_path(url, parse(url)[1], None)


@pytest.mark.parametrize(
    "url",
    [
        "fusion:///TEACLAVE_FUSION_BASE/../etc/passwd",
        "fusion:///TEACLAVE_FUSION_BASE/a/%2E%2E/%2E%2E/x",
        "fusion:///TEACLAVE_FUSION_BASE/",
        "fusion:///TEACLAVE_FUSION_BASE//abs",
        "fusion:///OTHER_BASE/x",
        "fusion://host/TEACLAVE_FUSION_BASE/x",
    ],
)
def test_fusion_paths_stay_inside_the_base(url: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidURL):
        fusion_path(url, parse(url)[1], tmp_path)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("data:text/plain;base64,aGVsbG8=", b"hello"),
        ("data:;base64,AAEC%2F%2F8=", b"\x00\x01\x02\xff\xff"),
        ("data:text/plain,hello%20world", b"hello world"),
        ("data:,a?b", b"a?b"),
        ("data:,", b""),
    ],
)
def test_data_urls(url: str, data: bytes) -> None:
    assert data_bytes(url) == data


@pytest.mark.parametrize("url", ["data:text/plain;base64,not base64!", "data:text/plain"])
def test_bad_data_urls(url: str) -> None:
    with pytest.raises(InvalidURL):
        data_bytes(url)
