"""Tests for smie.download against a local, fault-injecting HTTP server."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from smie.documents import InputError
from smie.download import ChecksumError, DownloadError, fetch, main

DATA = bytes(range(256)) * 4096  # 1 MiB, not a multiple of the read size below
NAME = "nowiki-20240601-pages-articles.xml.bz2"


def digest(algo: str, data: bytes = DATA) -> str:
    return hashlib.new(algo, data).hexdigest()


class FakeServer:
    """Serves ``files`` from memory; ``faults[path]`` is a queue, one entry per request:
    an int status, ("cut", k) to close after k body bytes, ("redirect", path), or "stall"."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.faults: dict[str, list] = {}
        self.requests: list[tuple[str, object]] = []  # (path, headers)
        self.ignore_range = False
        self.base = ""

    def url(self, path: str) -> str:
        return self.base + path

    def ranges(self) -> list[str | None]:
        return [headers.get("Range") for _, headers in self.requests]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        fake: FakeServer = self.server.fake
        fake.requests.append((self.path, self.headers))
        queue = fake.faults.get(self.path, [])
        fault = queue.pop(0) if queue else None
        if isinstance(fault, int):
            return self._empty(fault)
        if isinstance(fault, tuple) and fault[0] == "redirect":
            return self._empty(302, Location=fault[1])
        if fault == "stall":
            time.sleep(1.0)  # longer than the client's timeout
            return
        body = fake.files.get(self.path)
        if body is None:
            return self._empty(404)
        start, status = 0, 200
        match = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range", ""))
        if match and not fake.ignore_range:
            start, status = int(match.group(1)), 206
            if start >= len(body):
                return self._empty(416)
        self.send_response(status)
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        payload = body[start:]
        if isinstance(fault, tuple) and fault[0] == "cut":
            payload = payload[: fault[1]]  # HTTP/1.0: returning closes the connection
        self.wfile.write(payload)

    def _empty(self, status: int, **headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def server():
    fake = FakeServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.fake = fake
    fake.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield fake
    httpd.shutdown()
    httpd.server_close()


def quick(**kwargs):
    """fetch() with test-friendly defaults: tiny backoff, short timeout, no bar."""
    return dict(dict(backoff=0.01, timeout=5.0, progress=False), **kwargs)


@pytest.mark.parametrize("algo", ["md5", "sha1", "sha256"])
def test_plain_download_verified(server, tmp_path, algo):
    server.files["/" + NAME] = DATA
    dest = tmp_path / "resources" / "wiki" / NAME
    result = fetch(server.url("/" + NAME), dest, **quick(checksum={algo: digest(algo)}))
    assert result == dest
    assert dest.read_bytes() == DATA
    assert not dest.with_name(NAME + ".part").exists()
    assert server.ranges() == [None]


def test_no_checksum_warns(server, tmp_path, capsys):
    server.files["/f"] = DATA
    fetch(server.url("/f"), tmp_path / "f", **quick())
    assert (tmp_path / "f").read_bytes() == DATA
    assert "no checksum given" in capsys.readouterr().err


def test_file_url_absolute(tmp_path):
    src = tmp_path / "src dir" / NAME
    src.parent.mkdir()
    src.write_bytes(DATA)
    dest = fetch(src.as_uri(), tmp_path / "out" / NAME, **quick(checksum={"md5": digest("md5")}))
    assert dest.read_bytes() == DATA


def test_file_url_relative_to_cwd(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / NAME).write_bytes(DATA)
    monkeypatch.chdir(tmp_path)
    dest = fetch(f"file:data/{NAME}", "resources/" + NAME, **quick(checksum={"sha1": digest("sha1")}))
    assert (tmp_path / "resources" / NAME).read_bytes() == DATA
    assert not dest.is_absolute()


def test_file_url_resumes_from_part(tmp_path):
    src = tmp_path / NAME
    src.write_bytes(DATA)
    dest = tmp_path / "out" / NAME
    dest.parent.mkdir()
    dest.with_name(NAME + ".part").write_bytes(DATA[:1000])
    fetch(src.as_uri(), dest, **quick(checksum={"sha256": digest("sha256")}))
    assert dest.read_bytes() == DATA


def test_missing_local_file_names_url(tmp_path):
    url = (tmp_path / "absent.bz2").as_uri()
    with pytest.raises(DownloadError, match=re.escape(url)):
        fetch(url, tmp_path / "out", **quick())


@pytest.mark.parametrize("url", ["ftp://example.org/x", "s3://bucket/x", "file://host/x", "nowiki.xml"])
def test_unsupported_url(tmp_path, url):
    with pytest.raises(ValueError, match=re.escape(url)):
        fetch(url, tmp_path / "x", **quick())


def test_interrupted_transfer_resumes(server, tmp_path):
    cut = 300_000
    server.files["/" + NAME] = DATA
    server.faults["/" + NAME] = [("cut", cut)]
    dest = tmp_path / NAME
    fetch(server.url("/" + NAME), dest, **quick(checksum={"md5": digest("md5")}))
    assert server.ranges() == [None, f"bytes={cut}-"]
    assert dest.read_bytes() == DATA


def test_existing_part_is_rehashed(server, tmp_path):
    # The final digest must cover the bytes an earlier run left in the .part.
    server.files["/f"] = DATA
    dest = tmp_path / "f"
    dest.with_name("f.part").write_bytes(DATA[:12345])
    fetch(server.url("/f"), dest, **quick(checksum={"sha256": digest("sha256")}))
    assert server.ranges() == ["bytes=12345-"]
    assert dest.read_bytes() == DATA


def test_server_ignoring_range_restarts(server, tmp_path):
    server.files["/f"] = DATA
    server.faults["/f"] = [("cut", 5000)]
    server.ignore_range = True
    dest = tmp_path / "f"
    fetch(server.url("/f"), dest, **quick(checksum={"sha1": digest("sha1")}))
    assert server.ranges() == [None, "bytes=5000-"]  # asked to resume, got the whole file
    assert dest.read_bytes() == DATA


def test_oversized_part_restarts_after_416(server, tmp_path):
    server.files["/f"] = DATA[:100]
    dest = tmp_path / "f"
    dest.with_name("f.part").write_bytes(b"x" * 500)
    fetch(server.url("/f"), dest, **quick(checksum={"md5": digest("md5", DATA[:100])}))
    assert server.ranges() == ["bytes=500-", None]
    assert dest.read_bytes() == DATA[:100]


def test_retries_after_503(server, tmp_path, capsys):
    server.files["/f"] = DATA
    server.faults["/f"] = [503, 503]
    dest = fetch(server.url("/f"), tmp_path / "f", **quick(checksum={"md5": digest("md5")}))
    assert dest.read_bytes() == DATA
    assert len(server.requests) == 3
    err = capsys.readouterr().err
    assert "HTTP 503" in err and "retry 2/5" in err


@pytest.mark.parametrize("status", [408, 429, 500])
def test_other_transient_statuses_retried(server, tmp_path, status):
    server.files["/f"] = DATA
    server.faults["/f"] = [status]
    fetch(server.url("/f"), tmp_path / "f", **quick())
    assert len(server.requests) == 2


def test_timeout_retried(server, tmp_path):
    server.files["/f"] = DATA
    server.faults["/f"] = ["stall"]
    fetch(server.url("/f"), tmp_path / "f", **quick(timeout=0.2))
    assert (tmp_path / "f").read_bytes() == DATA
    assert len(server.requests) == 2


def test_retries_exhausted(server, tmp_path):
    server.files["/f"] = DATA
    server.faults["/f"] = [503] * 3
    with pytest.raises(DownloadError, match="giving up after 3 attempts"):
        fetch(server.url("/f"), tmp_path / "f", **quick(retries=2))
    assert len(server.requests) == 3
    assert not (tmp_path / "f").exists()


@pytest.mark.parametrize("status", [403, 404])
def test_client_error_fails_at_once(server, tmp_path, status):
    server.faults["/f"] = [status]
    url = server.url("/f")
    with pytest.raises(DownloadError, match=re.escape(url)) as info:
        fetch(url, tmp_path / "f", **quick())
    assert f"HTTP {status}" in str(info.value)
    assert len(server.requests) == 1


def test_checksum_mismatch_keeps_nothing(server, tmp_path):
    server.files["/" + NAME] = DATA
    url, wrong = server.url("/" + NAME), "0" * 32
    dest = tmp_path / NAME
    with pytest.raises(ChecksumError) as info:
        fetch(url, dest, **quick(checksum={"md5": wrong}))
    assert isinstance(info.value, InputError)
    message = str(info.value)
    for part in (url, NAME, "md5", wrong, digest("md5")):
        assert part in message
    assert not dest.exists() and not dest.with_name(NAME + ".part").exists()


@pytest.mark.parametrize("checksum", [{"md5": "abc"}, {"crc32": "0" * 8}, {"md5": "z" * 32},
                                      {"md5": "0" * 32, "sha1": "0" * 40}])
def test_bad_checksum_argument(tmp_path, checksum):
    with pytest.raises(ValueError):
        fetch("http://127.0.0.1:9/f", tmp_path / "f", **quick(checksum=checksum))


def sums_file(*entries: tuple[str, str]) -> bytes:
    lines = [f"{'1' * 32}  nowiki-20240601-abstract.xml.gz"]
    lines += [f"{hexdigest}  {name}" for hexdigest, name in entries]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("algo", ["md5", "sha1", "sha256"])
def test_checksums_url_match(server, tmp_path, algo):
    server.files["/" + NAME] = DATA
    server.files["/sums.txt"] = sums_file((digest(algo), NAME))
    dest = fetch(server.url("/" + NAME), tmp_path / NAME, **quick(checksums_url=server.url("/sums.txt")))
    assert dest.read_bytes() == DATA
    assert [path for path, _ in server.requests] == ["/sums.txt", "/" + NAME]


def test_checksums_url_mismatch(server, tmp_path):
    server.files["/" + NAME] = DATA
    server.files["/sums.txt"] = sums_file(("f" * 32, NAME))
    with pytest.raises(ChecksumError, match="f" * 32):
        fetch(server.url("/" + NAME), tmp_path / NAME, **quick(checksums_url=server.url("/sums.txt")))
    assert list(tmp_path.iterdir()) == []


def test_checksums_url_missing_entry(server, tmp_path):
    server.files["/" + NAME] = DATA
    server.files["/sums.txt"] = sums_file()
    with pytest.raises(ChecksumError, match=re.escape(NAME)):
        fetch(server.url("/" + NAME), tmp_path / NAME, **quick(checksums_url=server.url("/sums.txt")))
    assert [path for path, _ in server.requests] == ["/sums.txt"]  # no download attempted


def test_checksums_url_retried_and_file_scheme(server, tmp_path):
    server.files["/" + NAME] = DATA
    sums = tmp_path / "sums.txt"
    sums.write_bytes(sums_file((digest("md5"), "*" + NAME)))
    server.faults["/" + NAME] = [502]
    dest = fetch(server.url("/" + NAME), tmp_path / "out" / NAME, **quick(checksums_url=sums.as_uri()))
    assert dest.read_bytes() == DATA


def test_truncated_sums_file_retried(server, tmp_path):
    server.files["/" + NAME] = DATA
    server.files["/sums.txt"] = sums_file((digest("md5"), NAME))
    server.faults["/sums.txt"] = [("cut", 10)]
    fetch(server.url("/" + NAME), tmp_path / NAME, **quick(checksums_url=server.url("/sums.txt")))
    assert [path for path, _ in server.requests] == ["/sums.txt", "/sums.txt", "/" + NAME]
    assert (tmp_path / NAME).read_bytes() == DATA


def test_mirror_used_before_network(server, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / NAME).write_bytes(DATA)
    dest = fetch(server.url("/" + NAME), tmp_path / "out" / NAME,
                 **quick(mirror=mirror, checksum={"md5": digest("md5")}))
    assert dest.read_bytes() == DATA
    assert server.requests == []


def test_mirror_copy_is_verified(server, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / NAME).write_bytes(DATA[:-1])
    with pytest.raises(ChecksumError):
        fetch(server.url("/" + NAME), tmp_path / "out" / NAME,
              **quick(mirror=mirror, checksum={"md5": digest("md5")}))
    assert not (tmp_path / "out" / NAME).exists()


def test_mirror_without_file_falls_back_to_url(server, tmp_path):
    server.files["/" + NAME] = DATA
    (tmp_path / "mirror").mkdir()
    fetch(server.url("/" + NAME), tmp_path / NAME, **quick(mirror=tmp_path / "mirror"))
    assert len(server.requests) == 1


def test_existing_dest_with_right_checksum_kept(server, tmp_path):
    dest = tmp_path / "f"
    dest.write_bytes(DATA)
    assert fetch(server.url("/f"), dest, **quick(checksum={"md5": digest("md5")})) == dest
    assert server.requests == []


def test_existing_dest_with_wrong_checksum_replaced(server, tmp_path):
    server.files["/f"] = DATA
    dest = tmp_path / "f"
    dest.write_bytes(b"stale")
    fetch(server.url("/f"), dest, **quick(checksum={"md5": digest("md5")}))
    assert dest.read_bytes() == DATA
    assert len(server.requests) == 1


def test_auth_header_sent(server, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "s3cret")
    server.files["/f"] = DATA
    fetch(server.url("/f"), tmp_path / "f", **quick(auth_env="HF_TOKEN"))
    assert server.requests[0][1].get("Authorization") == "Bearer s3cret"


def test_auth_header_not_forwarded_on_redirect(server, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "s3cret")
    server.files["/cdn/f"] = DATA
    server.faults["/f"] = [("redirect", server.url("/cdn/f"))]
    fetch(server.url("/f"), tmp_path / "f", **quick(auth_env="HF_TOKEN"))
    assert [path for path, _ in server.requests] == ["/f", "/cdn/f"]
    assert server.requests[0][1].get("Authorization") == "Bearer s3cret"
    assert server.requests[1][1].get("Authorization") is None


def test_auth_env_unset_fails_before_request(server, tmp_path, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with pytest.raises(DownloadError, match="HF_TOKEN"):
        fetch(server.url("/f"), tmp_path / "f", **quick(auth_env="HF_TOKEN"))
    assert server.requests == []


def test_cli(server, tmp_path, capsys):
    server.files["/f"] = DATA
    dest = tmp_path / "f"
    assert main([server.url("/f"), str(dest), "--md5", digest("md5"), "--retries", "0"]) == 0
    assert dest.read_bytes() == DATA
    assert main([server.url("/f"), str(tmp_path / "g"), "--sha1", "0" * 40]) == 1
    assert "sha1 mismatch" in capsys.readouterr().err
