"""`make deploy` makes the VAPID key's SecureString once (CloudFormation cannot), from
`tasko-server vapid-key`, and never replaces it: checked against moto's SSM."""

import uuid

import boto3
import pytest

import deploy


@pytest.fixture
def ssm():
    return boto3.client("ssm", region_name="us-east-1")


def test_the_vapid_key_is_made_once_as_a_secure_string_and_kept(ssm, server_bin):
    name = deploy.vapid_parameter_name(f"t{uuid.uuid4().hex[:10]}")
    assert deploy.ensure_vapid_key(ssm, name, server_bin) is True
    made = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
    assert made["Type"] == "SecureString"
    assert made["Value"].startswith("-----BEGIN PRIVATE KEY-----")
    assert deploy.ensure_vapid_key(ssm, name, server_bin) is False
    kept = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
    assert kept["Value"] == made["Value"]
    assert kept["Version"] == made["Version"]


def test_each_vapid_key_is_new(server_bin):
    import subprocess
    keys = {subprocess.run([server_bin, "vapid-key"], check=True, capture_output=True,
                           text=True).stdout for _ in range(2)}
    assert len(keys) == 2
