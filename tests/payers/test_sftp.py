"""The SFTP adapter against a real SFTP server (asyncssh, in-process, chrooted to a tmp folder):
round trip, never twice, host key checks, credentials, missing folders, a fetch cut between
download and remote move."""

from __future__ import annotations

import os
import re
import socket
import stat
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncssh
import pytest

from openrcm.payers.adapter import (
    AdapterError,
    EnrollmentStatus,
    OutboundFile,
    available,
    create,
)
from openrcm.payers.sftp.adapter import SftpAdapter
from tests.support.sftp_server import Server, sftp_server

BATCH = OutboundFile("837P-000000001.x12", "837", b"ISA*00*...~IEA*1*000000001~")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with sftp_server(tmp_path) as running:
        yield running


def adapter(server: Server, local: Path, **extra: str) -> SftpAdapter:
    made = create("sftp", server.options(local, **extra))
    assert isinstance(made, SftpAdapter)
    return made


def drop(server: Server, name: str, content: bytes, mtime: int) -> None:
    """The clearinghouse leaves a file in its outbound folder."""
    path = server.root / "outbound" / name
    path.write_bytes(content)
    os.utime(path, (mtime, mtime))


def remote_files(server: Server, folder: str) -> list[str]:
    return sorted(p.name for p in (server.root / folder).iterdir() if p.is_file())


def test_submit_renames_a_whole_upload_into_place_and_fetch_returns_oldest_first(
        server: Server, tmp_path: Path) -> None:
    sftp = adapter(server, tmp_path / "local")
    receipt = sftp.submit(BATCH)
    assert receipt.reference == f"/inbound/{BATCH.name}"
    assert (server.root / "inbound" / BATCH.name).read_bytes() == BATCH.content
    assert remote_files(server, "inbound") == [BATCH.name]  # no temporary left behind
    assert server.renames == [(f"/inbound/.{BATCH.name}.part", f"/inbound/{BATCH.name}")]
    assert (tmp_path / "local" / "sent" / BATCH.name).read_bytes() == BATCH.content
    for folder in ("sent", "received"):  # they hold PHI: the owner's alone
        assert stat.S_IMODE((tmp_path / "local" / folder).stat().st_mode) == 0o700

    drop(server, "b-277CA.x12", b"277", 1_700_000_100)
    drop(server, "a-999.x12", b"999", 1_700_000_200)
    drop(server, "c-835.x12", b"835", 1_700_000_200)
    (server.root / "outbound" / ".z.part").write_bytes(b"being written")
    (server.root / "outbound" / "y-835.x12.filepart").write_bytes(b"being written")
    (server.root / "outbound" / "folder").mkdir()
    got = sftp.fetch()
    assert [(f.name, f.content) for f in got] == [
        ("b-277CA.x12", b"277"), ("a-999.x12", b"999"), ("c-835.x12", b"835")]
    assert remote_files(server, "outbound") == [".z.part", "y-835.x12.filepart"]
    assert remote_files(server, "outbound/archive") == ["a-999.x12", "b-277CA.x12",
                                                        "c-835.x12"]
    assert sorted(p.name for p in (tmp_path / "local" / "received" / "archive").iterdir()) \
        == ["a-999.x12", "b-277CA.x12", "c-835.x12"]
    assert sftp.fetch() == []


def test_a_batch_is_never_sent_twice(server: Server, tmp_path: Path) -> None:
    sftp = adapter(server, tmp_path / "local")
    sftp.submit(BATCH)
    with pytest.raises(AdapterError, match="already sent"):
        sftp.submit(OutboundFile(BATCH.name, "837", b"other bytes"))
    # the clearinghouse took the file away: the local record still refuses it
    (server.root / "inbound" / BATCH.name).unlink()
    with pytest.raises(AdapterError, match=r"already sent \(recorded in"):
        sftp.submit(BATCH)
    assert remote_files(server, "inbound") == []
    # another machine without the local record: the file on the server refuses it
    other = adapter(server, tmp_path / "elsewhere")
    other.submit(BATCH)
    with pytest.raises(AdapterError, match=f"already sent \\(/inbound/{BATCH.name} is on"):
        adapter(server, tmp_path / "third").submit(OutboundFile(BATCH.name, "837", b"x"))
    assert (server.root / "inbound" / BATCH.name).read_bytes() == BATCH.content
    with pytest.raises(AdapterError, match="unsafe"):
        sftp.submit(OutboundFile("../escape", "837", b""))


def test_unknown_host_key_is_refused(server: Server, tmp_path: Path) -> None:
    empty = tmp_path / "known_hosts_empty"
    empty.write_text("")
    sftp = adapter(server, tmp_path / "local", known_hosts=str(empty))
    fingerprint = re.escape(server.host_key.get_fingerprint())
    with pytest.raises(AdapterError, match=rf"127\.0\.0\.1:{server.port}: unknown host key "
                                           rf"\(ssh-ed25519 {fingerprint}\).*refusing"):
        sftp.submit(BATCH)
    assert remote_files(server, "inbound") == []
    with pytest.raises(AdapterError, match="cannot read known_hosts"):
        adapter(server, tmp_path / "local", known_hosts=str(tmp_path / "absent")).fetch()


def test_changed_host_key_is_refused(server: Server, tmp_path: Path) -> None:
    impostor_view = tmp_path / "known_hosts_old"
    impostor_view.write_text(server.known_hosts_line(
        asyncssh.generate_private_key("ssh-ed25519")))
    sftp = adapter(server, tmp_path / "local", known_hosts=str(impostor_view))
    with pytest.raises(AdapterError, match=rf"127\.0\.0\.1:{server.port}: host key changed.*"
                                           "refusing to connect"):
        sftp.submit(BATCH)
    assert remote_files(server, "inbound") == []


def test_bad_credentials_and_secrets_never_in_options(
        server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stranger = tmp_path / "stranger_key"
    stranger.write_bytes(asyncssh.generate_private_key("ssh-ed25519")
                         .export_private_key("openssh"))
    with pytest.raises(AdapterError, match=rf"{server.port}: authentication failed for user "
                                           r"clinic \(by private key\)"):
        adapter(server, tmp_path / "local", key_file=str(stranger)).fetch()
    with pytest.raises(AdapterError, match=r"private key file .* does not exist"):
        adapter(server, tmp_path / "local", key_file=str(tmp_path / "nokey")).fetch()
    with pytest.raises(AdapterError, match="never put a secret in option password"):
        create("sftp", server.options(tmp_path, password="hunter2"))
    options = server.options(tmp_path / "local", password_env="SFTP_TEST_PASSWORD")
    with pytest.raises(AdapterError, match="exactly one credential"):
        create("sftp", options)
    del options["key_file"]
    with pytest.raises(AdapterError, match="variable SFTP_TEST_PASSWORD is not set"):
        create("sftp", options).fetch()
    monkeypatch.setenv("SFTP_TEST_PASSWORD", "not-the-password")
    with pytest.raises(AdapterError, match=r"authentication failed .*\(by password\)") as info:
        create("sftp", options).fetch()
    assert "not-the-password" not in str(info.value)


def test_password_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with sftp_server(tmp_path, password="correct horse") as running:
        options = running.options(tmp_path / "local", password_env="SFTP_TEST_PASSWORD")
        del options["key_file"]
        monkeypatch.setenv("SFTP_TEST_PASSWORD", "correct horse")
        create("sftp", options).submit(BATCH)
        assert remote_files(running, "inbound") == [BATCH.name]


def test_key_with_a_passphrase_from_the_environment(
        server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked_key"
    key = asyncssh.read_private_key(server.client_key)
    locked.write_bytes(key.export_private_key("openssh", passphrase="open sesame",
                                              rounds=4, ignore_few_rounds=True))
    with pytest.raises(AdapterError, match="is encrypted; name the variable"):
        adapter(server, tmp_path / "local", key_file=str(locked)).fetch()
    monkeypatch.setenv("SFTP_KEY_PASSPHRASE", "wrong")
    with pytest.raises(AdapterError, match="cannot read private key file"):
        adapter(server, tmp_path / "local", key_file=str(locked),
                key_passphrase_env="SFTP_KEY_PASSPHRASE").fetch()
    monkeypatch.setenv("SFTP_KEY_PASSPHRASE", "open sesame")
    assert adapter(server, tmp_path / "local", key_file=str(locked),
                   key_passphrase_env="SFTP_KEY_PASSPHRASE").fetch() == []


def test_missing_remote_folders_are_named(server: Server, tmp_path: Path) -> None:
    where = rf"127\.0\.0\.1:{server.port}"
    with pytest.raises(AdapterError, match=rf"{where}: remote folder \(remote_inbox\) "
                                           "/nowhere does not exist"):
        adapter(server, tmp_path / "local", remote_inbox="/nowhere").fetch()
    with pytest.raises(AdapterError, match=rf"{where}: remote folder \(remote_outbox\) "
                                           "/to/nowhere does not exist"):
        adapter(server, tmp_path / "local", remote_outbox="/to/nowhere").submit(BATCH)
    assert not (tmp_path / "local" / "sent" / BATCH.name).exists()


def test_refused_and_silent_servers(server: Server, tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(AdapterError, match=rf"127\.0\.0\.1:{port}: cannot connect: "
                                           "connection refused"):
        adapter(server, tmp_path / "local", port=str(port)).fetch()
    with socket.socket() as silent:  # accepts the connection, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        with pytest.raises(AdapterError, match=rf"127\.0\.0\.1:{port}: timed out after 0.3 s"):
            adapter(server, tmp_path / "local", port=str(port), timeout="0.3").fetch()


def test_a_fetch_cut_between_download_and_remote_move_loses_and_repeats_nothing(
        server: Server, tmp_path: Path) -> None:
    sftp = adapter(server, tmp_path / "local")
    drop(server, "r1-999.x12", b"999", 1_700_000_100)
    drop(server, "r2-277CA.x12", b"277", 1_700_000_200)
    server.faults.archive_moves = 1
    with pytest.raises(AdapterError, match=r"r1-999\.x12 is stored locally but could not be "
                                           "moved to /outbound/archive"):
        sftp.fetch()
    assert (tmp_path / "local" / "received" / "r1-999.x12").read_bytes() == b"999"
    assert remote_files(server, "outbound") == ["r1-999.x12", "r2-277CA.x12"]
    got = sftp.fetch()
    assert [(f.name, f.content) for f in got] == [("r1-999.x12", b"999"),
                                                   ("r2-277CA.x12", b"277")]
    assert remote_files(server, "outbound") == []
    assert remote_files(server, "outbound/archive") == ["r1-999.x12", "r2-277CA.x12"]
    assert sftp.fetch() == []


def test_the_same_file_again_is_not_returned_but_a_different_one_is(
        server: Server, tmp_path: Path) -> None:
    sftp = adapter(server, tmp_path / "local")
    drop(server, "r1.x12", b"first", 1_700_000_100)
    assert [f.content for f in sftp.fetch()] == [b"first"]
    drop(server, "r1.x12", b"first", 1_700_000_300)  # dropped again, same bytes
    assert sftp.fetch() == []
    assert remote_files(server, "outbound") == []
    drop(server, "r1.x12", b"second", 1_700_000_400)  # a new file under a used name
    (again,) = sftp.fetch()
    assert again.content == b"second" and again.name.startswith("r1.x12.")
    assert len(remote_files(server, "outbound/archive")) == 3


def test_fetches_into_one_folder_at_the_same_time_hand_each_file_over_once(
        server: Server, tmp_path: Path) -> None:
    for n in range(12):
        drop(server, f"r{n:02d}.x12", f"answer {n}".encode(), 1_700_000_000 + n)
    local = tmp_path / "local"
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda _: adapter(server, local).fetch(), range(3)))
    names = [f.name for got in results for f in got]
    assert sorted(names) == [f"r{n:02d}.x12" for n in range(12)]
    assert remote_files(server, "outbound") == []


def test_delete_after_fetch_and_enrollment(server: Server, tmp_path: Path) -> None:
    local = tmp_path / "local"
    sftp = adapter(server, local, after_fetch="delete")
    drop(server, "r1.x12", b"999", 1_700_000_100)
    assert [f.name for f in sftp.fetch()] == ["r1.x12"]
    assert remote_files(server, "outbound") == []
    assert not (server.root / "outbound" / "archive").exists()
    assert sftp.enrollment("SIMPPO", "837") is EnrollmentStatus.UNKNOWN
    (local / "enrollment.yaml").write_text("SIMPPO:\n  '837': enrolled\n  '835': pending\n")
    assert sftp.enrollment("SIMPPO", "837") is EnrollmentStatus.ENROLLED
    assert sftp.enrollment("SIMPPO", "835") is EnrollmentStatus.PENDING


@pytest.mark.parametrize(("change", "message"), [
    ({"host": ""}, "needs option host"),
    ({"port": "ssh"}, "port must be a number"),
    ({"port": "70000"}, "port must be between 1 and 65535"),
    ({"port": "22.5"}, "port must be a whole number"),
    ({"timeout": "0"}, "timeout must be between"),
    ({"after_fetch": "shred"}, "after_fetch must be archive or delete"),
    ({"remote_inbox": ""}, "needs option remote_inbox"),
    ({"hostname": "x"}, "unknown option hostname"),
    ({"passphrase": "x"}, "never put a secret"),
])
def test_bad_options_are_named(tmp_path: Path, change: dict[str, str], message: str) -> None:
    options = {"host": "sftp.example.test", "username": "u", "remote_outbox": "/in",
               "remote_inbox": "/out", "key_file": "k", "known_hosts": "kh",
               "root": str(tmp_path), **change}
    with pytest.raises(AdapterError, match=message):
        create("sftp", options)


def test_registered_as_a_builtin() -> None:
    assert "sftp" in available()
