"""smie.archives: streaming decompression and distrustful tar/zip member iteration."""

import bz2
import gzip
import io
import lzma
import stat
import tarfile
import zipfile

import pytest
import zstandard

from smie.archives import iter_files, iter_members, open_decompressed
from smie.documents import InputError


def add_file(tf: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tf.addfile(info, io.BytesIO(data))


def make_tar(path, members, mode="w:gz"):
    with tarfile.open(path, mode) as tf:
        for name, data in members:
            add_file(tf, name, data)
    return path


def read_all(source, name="archive"):
    return [(n, f.read()) for n, f in iter_members(source, name)]


@pytest.mark.parametrize("mode,suffix", [("w", ".tar"), ("w:gz", ".tar.gz"),
                                         ("w:bz2", ".tar.bz2"), ("w:xz", ".tar.xz")])
def test_tar_members_in_archive_order(tmp_path, mode, suffix):
    path = make_tar(tmp_path / f"a{suffix}", [("b/2.txt", b"two"), ("a/1.txt", b"one")], mode)
    assert read_all(path) == [("b/2.txt", b"two"), ("a/1.txt", b"one")]


def test_zstd_tar_and_directories_skipped(tmp_path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        d = tarfile.TarInfo("dir")
        d.type = tarfile.DIRTYPE
        tf.addfile(d)
        add_file(tf, "./dir/x.txt", b"x")
    path = tmp_path / "a.tar.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(buf.getvalue()))
    assert read_all(path) == [("dir/x.txt", b"x")]


def test_zip_members_and_nested_tar_stream(tmp_path):
    inner = make_tar(tmp_path / "inner.tar.gz", [("nob/a.txt", "blåbær".encode())])
    path = tmp_path / "outer.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", b"hi")
        zf.writestr("2/", b"")
        zf.write(inner, "2/inner.tar.gz")
    names = []
    for name, f in iter_members(path, "outer.zip"):
        names.append(name)
        if name.endswith(".tar.gz"):
            assert read_all(f, "nested") == [("nob/a.txt", "blåbær".encode())]
    assert names == ["readme.txt", "2/inner.tar.gz"]


@pytest.mark.parametrize("name", ["/etc/passwd", "a/../../evil.txt", "../evil.txt"])
def test_tar_hostile_paths_refused(tmp_path, name):
    path = make_tar(tmp_path / "bad.tar.gz", [("ok.txt", b"ok"), (name, b"evil")])
    with pytest.raises(InputError) as err:
        read_all(path, "bad.tar.gz")
    assert "bad.tar.gz" in str(err.value) and name in str(err.value)


@pytest.mark.parametrize("kind", ["symlink", "hardlink", "chardev", "fifo"])
def test_tar_links_and_devices_refused(tmp_path, kind):
    path = tmp_path / "links.tar"
    with tarfile.open(path, "w") as tf:
        add_file(tf, "real.txt", b"data")
        info = tarfile.TarInfo(f"the-{kind}")
        info.type = {"symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE,
                     "chardev": tarfile.CHRTYPE, "fifo": tarfile.FIFOTYPE}[kind]
        if kind in ("symlink", "hardlink"):
            info.linkname = "real.txt"
        tf.addfile(info)
    with pytest.raises(InputError) as err:
        read_all(path, "links.tar")
    assert "links.tar" in str(err.value) and f"the-{kind}" in str(err.value)


def test_zip_hostile_members_refused(tmp_path):
    path = tmp_path / "bad.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../up.txt", b"evil")
    with pytest.raises(InputError, match=r"bad\.zip.*\.\./up\.txt"):
        read_all(path, "bad.zip")

    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("link")
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(InputError, match=r"link\.zip.*'link'.*symbolic link"):
        read_all(path, "link.zip")


def test_truncated_tar_gz_names_archive(tmp_path):
    path = make_tar(tmp_path / "big.tar.gz", [(f"f{i}.txt", bytes(range(256)) * 400) for i in range(5)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="big.tar.gz"):
        read_all(path, str(path))


def test_not_an_archive(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_bytes(b"just text, no tar here\n" * 50)
    with pytest.raises(InputError, match="plain.txt: not a tar or zip archive"):
        read_all(path, str(path))


@pytest.mark.parametrize("kind", ["gzip", "bzip2", "xz", "zstd", "plain"])
def test_open_decompressed_by_magic(tmp_path, kind):
    data = "linje én\nlinje to\n".encode() * 1000
    packed = {"gzip": gzip.compress, "bzip2": bz2.compress, "xz": lzma.compress,
              "zstd": zstandard.ZstdCompressor().compress, "plain": lambda d: d}[kind](data)
    path = tmp_path / "file.bin"  # the name says nothing: magic bytes decide
    path.write_bytes(packed)
    with open_decompressed(path) as f:
        assert f.read() == data


@pytest.mark.parametrize("kind", ["gzip", "bzip2", "zstd"])
def test_truncated_stream_raises_input_error(tmp_path, kind):
    data = bytes(range(256)) * 4000
    packed = {"gzip": gzip.compress, "bzip2": bz2.compress,
              "zstd": zstandard.ZstdCompressor().compress}[kind](data)
    path = tmp_path / f"cut.{kind}"
    path.write_bytes(packed[: len(packed) * 2 // 3])
    with pytest.raises(InputError) as err:
        with open_decompressed(path) as f:
            while f.read(4096):
                pass
    assert f"cut.{kind}" in str(err.value) and "truncated or corrupt" in str(err.value)


def test_iter_files_folder_sorted_and_suffix_filtered(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z")
    (tmp_path / "a.TXT").write_text("a")
    (tmp_path / "skip.html").write_text("no")
    (tmp_path / "._a.txt").write_text("apple resource fork")
    assert [(n, f.read()) for n, f in iter_files(tmp_path, (".txt",))] == [
        ("a.TXT", b"a"), ("b/z.txt", b"z")]
