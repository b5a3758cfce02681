"""The template and the code agree: moto's CloudFormation creates the template's data
resources (tables, buckets, SSM parameters), the tables equal those the server creates with
DYNAMODB_CREATE_TABLES=1, and the Store and BlobStore conformance suites pass on exactly
those resources with DYNAMODB_CREATE_TABLES=0.

Runs under scripts/with-moto.sh (AWS_ENDPOINT_URL points at moto)."""

import copy
import json
import os
import re
import subprocess
import uuid

import boto3
import pytest

from conftest import ROOT, running_server

DATA_TYPES = {"AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SSM::Parameter"}
PSEUDO = {"AWS::StackName", "AWS::AccountId", "AWS::Region", "AWS::Partition", "AWS::NoValue"}

pytestmark = pytest.mark.skipif(not os.environ.get("AWS_ENDPOINT_URL"),
                                reason="needs moto: run through scripts/with-moto.sh")


def references(value):
    """Names a piece of template refers to (Ref, GetAtt, ${...} in Sub)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref":
                yield inner
            elif key == "Fn::GetAtt":
                yield inner[0]
            elif key == "Fn::Sub":
                text = inner if isinstance(inner, str) else inner[0]
                for name in re.findall(r"\$\{([^}!]+)\}", text):
                    yield name.split(".")[0]
                yield from references(inner)
            else:
                yield from references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from references(inner)


def data_template(template):
    """The template's data resources, as a template of their own. The files bucket's CORS
    origin names the distribution, which is not data: it becomes a parameter. Parameters
    with a default (a custom domain, the log retention) keep it, with the conditions on them."""
    resources = {name: copy.deepcopy(r) for name, r in template["Resources"].items()
                 if r["Type"] in DATA_TYPES}
    text = json.dumps(resources).replace("${Distribution.DomainName}", "${DistributionDomainName}")
    resources = json.loads(text)
    defaults = {name: p for name, p in template["Parameters"].items() if "Default" in p}
    conditions = {name: c for name, c in template.get("Conditions", {}).items()
                  if set(references(c)) <= set(defaults) | PSEUDO}
    known = set(resources) | PSEUDO | {"DistributionDomainName"} | set(defaults)
    kept = {name: r for name, r in resources.items() if set(references(r)) <= known}
    dropped = set(resources) - set(kept)
    # Only parameters publishing non-data ids (pool, agent) may be left out.
    assert all(resources[name]["Type"] == "AWS::SSM::Parameter" for name in dropped), dropped
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"DistributionDomainName": {"Type": "String"}, **defaults},
        "Conditions": conditions,
        "Resources": kept,
    }


@pytest.fixture(scope="module")
def aws():
    region = os.environ.get("AWS_REGION", "us-east-1")
    return {name: boto3.client(name, region_name=region)
            for name in ("cloudformation", "dynamodb", "s3", "ssm", "sts")}


def create_stack(aws, template) -> str:
    name = f"tasko-{uuid.uuid4().hex[:8]}"
    aws["cloudformation"].create_stack(
        StackName=name, TemplateBody=json.dumps(data_template(template)),
        Parameters=[{"ParameterKey": "DistributionDomainName",
                     "ParameterValue": "d111111abcdef8.cloudfront.net"}])
    status = aws["cloudformation"].describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    assert status == "CREATE_COMPLETE", status
    return name


def table_shape(dynamodb, name):
    table = dynamodb.describe_table(TableName=name)["Table"]
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    return {
        "keys": table["KeySchema"],
        "attributes": sorted(table["AttributeDefinitions"], key=lambda a: a["AttributeName"]),
        "indexes": sorted(({"name": i["IndexName"], "keys": i["KeySchema"],
                            "projection": i["Projection"]["ProjectionType"],
                            "attributes": sorted(i["Projection"].get("NonKeyAttributes", []))}
                           for i in table.get("GlobalSecondaryIndexes", [])),
                          key=lambda i: i["name"]),
        "local_indexes": sorted(({"name": i["IndexName"], "keys": i["KeySchema"],
                                  "projection": i["Projection"]["ProjectionType"],
                                  "attributes": sorted(i["Projection"].get("NonKeyAttributes", []))}
                                 for i in table.get("LocalSecondaryIndexes", [])),
                                key=lambda i: i["name"]),
        "ttl": ttl.get("AttributeName") if ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING") else None,
    }


def template_ttl(template, table):
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        if properties.get("TableName") == {"Fn::Sub": f"${{AWS::StackName}}-{table}"}:
            ttl = properties.get("TimeToLiveSpecification")
            return ttl["AttributeName"] if ttl and ttl["Enabled"] else None
    raise AssertionError(f"no table {table} in the template")


TABLES = ("todos", "files", "lists", "chat_conversations", "chat_messages", "connections",
          "entries")


def test_the_stacks_tables_are_the_ones_the_code_creates(aws, template, server_bin):
    stack = create_stack(aws, template)
    code_prefix = f"code{uuid.uuid4().hex[:6]}-"
    with running_server(server_bin, {"STORE": "dynamodb", "DYNAMODB_CREATE_TABLES": "1",
                                     "DYNAMODB_TABLE_PREFIX": code_prefix}):
        pass
    listed = set(aws["dynamodb"].list_tables(Limit=100)["TableNames"])
    for table in TABLES:
        assert f"{stack}-{table}" in listed and f"{code_prefix}{table}" in listed, table
        from_template = table_shape(aws["dynamodb"], f"{stack}-{table}")
        from_code = table_shape(aws["dynamodb"], f"{code_prefix}{table}")
        # moto's CloudFormation does not apply TimeToLiveSpecification: the template's own
        # declaration stands in for the created table's.
        from_template["ttl"] = template_ttl(template, table)
        assert from_template == from_code, table
    # The template names no table the code does not use.
    assert sum(1 for t in listed if t.startswith(f"{stack}-")) == len(TABLES)
    ssm = {p["Name"].rsplit("/", 1)[1]: p["Value"]
           for p in aws["ssm"].get_parameters_by_path(Path=f"/tasko/{stack}")["Parameters"]}
    assert ssm["table-prefix"] == f"{stack}-"
    account = aws["sts"].get_caller_identity()["Account"]
    region = aws["s3"].meta.region_name
    assert ssm["files-bucket"] == f"{stack}-files-{account}-{region}"
    aws["s3"].head_bucket(Bucket=ssm["files-bucket"])
    # (moto's CloudFormation ignores CorsConfiguration; test_template.py checks the rule.)


def conformance_cases(suite: str) -> list:
    listed = subprocess.run(
        ["cargo", "test", "--locked", "-p", "server", "--features", "app/markdown", "--test", "api",
         "--", "--list", f"{suite}::"],
        check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return [line.split(": test")[0] for line in listed.splitlines() if line.endswith(": test")]


def run_case(case: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["cargo", "test", "--locked", "-q", "-p", "server", "--features", "app/markdown",
         "--test", "api", "--", "--exact", case],
        env={**os.environ, **env}, capture_output=True, text=True, cwd=ROOT)


def test_the_store_conformance_suite_passes_on_the_stacks_tables(aws, template):
    cases = conformance_cases("store_conformance::dynamodb")
    assert len(cases) >= 15, cases
    for case in cases:
        # Each case on a fresh stack: the cases assume empty tables, as they get in the suite.
        stack = create_stack(aws, template)
        result = run_case(case, {"TASKO_STACK_TABLE_PREFIX": f"{stack}-",
                                 "DYNAMODB_CREATE_TABLES": "0"})
        assert result.returncode == 0, f"{case}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        assert "1 passed" in result.stdout, result.stdout


def test_the_blob_conformance_suite_passes_on_the_stacks_bucket(aws, template):
    stack = create_stack(aws, template)
    account = aws["sts"].get_caller_identity()["Account"]
    bucket = f"{stack}-files-{account}-{aws['s3'].meta.region_name}"
    for case in ("blob_conformance::the_s3_blob_store_conforms",
                 "blob_conformance::s3_presigned_requests_cover_one_key_its_type_and_its_length"):
        result = run_case(case, {"TASKO_STACK_FILES_BUCKET": bucket})
        assert result.returncode == 0, f"{case}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        assert "1 passed" in result.stdout, result.stdout


def test_the_site_upload_stores_each_file_with_its_type_and_caching(aws):
    """What `make deploy` does with dist/ and the artifacts, against moto's S3."""
    import deploy

    s3 = aws["s3"]
    region = s3.meta.region_name
    bucket = deploy.artifact_bucket_name("123456789012", region)
    deploy.ensure_artifact_bucket(s3, bucket, region)
    deploy.ensure_artifact_bucket(s3, bucket, region)  # a second run finds it
    site = f"site-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=site)
    count = deploy.upload_site(s3, site, ROOT / "dist")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=site)["Contents"]]
    assert len(keys) == count and "index.html" in keys
    for key in keys:
        head = s3.head_object(Bucket=site, Key=key)
        expected = deploy.object_headers(key)
        assert head["ContentType"] == expected["ContentType"], key
        assert head["CacheControl"] == expected["CacheControl"], key
    wasm = next(k for k in keys if k.endswith(".wasm"))
    assert s3.head_object(Bucket=site, Key=wasm)["ContentType"] == "application/wasm"
