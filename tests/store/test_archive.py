import hashlib

import pytest

from basewatch.store import Archive


def test_put_is_content_addressed_and_idempotent(tmp_path):
    archive = Archive(tmp_path / "a")
    src = tmp_path / "f.bin"
    src.write_bytes(b"evidence bytes")
    digest, created = archive.put_file(src)
    assert digest == hashlib.sha256(b"evidence bytes").hexdigest() and created
    assert archive.path(digest).read_bytes() == b"evidence bytes"
    assert archive.put_file(src) == (digest, False)
    assert archive.put_bytes(b"evidence bytes") == (digest, False)
    assert digest in archive and archive.verify(digest)


def test_tampering_is_detected(tmp_path):
    archive = Archive(tmp_path / "a")
    digest, _ = archive.put_bytes(b"original")
    p = archive.path(digest)
    p.chmod(0o644)
    p.write_bytes(b"changed")
    assert not archive.verify(digest)


def test_a_failed_write_leaves_no_object(tmp_path):
    archive = Archive(tmp_path / "a")

    def fail(out):
        out.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        archive._write("ab" * 32, fail)
    assert not any(p.is_file() for p in archive.root.rglob("*"))
