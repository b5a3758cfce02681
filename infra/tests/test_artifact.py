"""The release Lambda artifacts (`make lambda-artifact` builds them before these run): a
zip with an x86-64 `bootstrap` that Amazon Linux 2023's glibc (2.34) can run."""

import stat
import zipfile

import pytest

import deploy

NAMES = ("tasko-server", "tasko-action-group")


@pytest.mark.parametrize("name", NAMES)
def test_the_artifact_is_the_release_binary_as_an_executable_bootstrap(name):
    path = deploy.ARTIFACTS / f"{name}.zip"
    assert path.exists(), "run `make lambda-artifact` first"
    with zipfile.ZipFile(path) as archive:
        (info,) = archive.infolist()
        assert info.filename == "bootstrap"
        assert stat.S_IMODE(info.external_attr >> 16) == 0o755
        assert archive.read("bootstrap") == (deploy.RELEASE / name).read_bytes()


@pytest.mark.parametrize("name", NAMES)
def test_the_binary_needs_no_glibc_newer_than_amazon_linux_2023s(name):
    binary = deploy.RELEASE / name
    versions = deploy.glibc_versions(binary)
    assert versions, "a dynamically linked binary names its glibc versions"
    assert max(versions) <= (2, 34)
    deploy.check_binary(binary)


def test_the_glibc_check_refuses_a_binary_needing_more(monkeypatch):
    monkeypatch.setattr(deploy, "MAX_GLIBC", (2, 2))
    with pytest.raises(deploy.DeployError, match="Amazon Linux 2023"):
        deploy.check_binary(deploy.RELEASE / "tasko-server")


def test_the_check_refuses_what_is_not_an_x86_64_executable(tmp_path):
    script = tmp_path / "bootstrap"
    script.write_text("#!/bin/sh\necho hi\n")
    with pytest.raises(deploy.DeployError, match="x86-64"):
        deploy.check_binary(script)


def test_the_zip_is_reproducible(tmp_path):
    binary = deploy.RELEASE / "tasko-action-group"
    first = deploy.zip_bootstrap(binary, tmp_path / "a.zip").read_bytes()
    second = deploy.zip_bootstrap(binary, tmp_path / "b.zip").read_bytes()
    assert first == second
