"""Files that are not videos, or damaged ones, give a clear InputFileError, never a traceback."""

import pytest

from basewatch.errors import InputFileError
from basewatch.ingest.video import extract_keyframes


@pytest.mark.parametrize("content", [b"just some text\n", b"", b"\x00" * 4096, b"\x1a\x45\xdf\xa3" + b"\xff" * 64,
                                     b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100],
                         ids=["text", "empty", "zeros", "mkv-header", "mp4-header"])
def test_unreadable_video_names_the_file_and_the_fix(tmp_path, content):
    path = tmp_path / "clip.mp4"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match="clip.mp4.*(--kind|re-export)"):
        extract_keyframes(path)
