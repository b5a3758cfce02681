"""Deploys Tasko to AWS with infra/template.yaml, and removes it.

    python3 infra/deploy.py artifact   build the Lambda zips, check their glibc needs
    python3 infra/deploy.py deploy     everything `make deploy` does (needs AWS credentials)
    python3 infra/deploy.py destroy    `make destroy`

Configuration from the environment: STACK_NAME and AWS_REGION (required), and optionally
FOUNDATION_MODEL, INFERENCE_PROFILE_PREFIX, ACTION_GROUP_EXECUTOR,
ENABLE_MODEL_INVOCATION_LOGGING, SERVER_CONCURRENCY_LIMIT, DOMAIN_NAME, CERTIFICATE_ARN,
WEB_ACL_ARN, WAF_RATE_LIMIT (the template's parameters of the same meaning).

CloudFormation runs the SAM transform itself, so boto3 is all this needs: the artifacts go to
a bucket of the account (`tasko-artifacts-<account>-<region>`, made on first use), and the
stack is created or updated through a change set with typed parameters (no shell quoting of
the CSP or the instruction).
"""

import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

INFRA = Path(__file__).resolve().parent
ROOT = INFRA.parent
DIST = ROOT / "dist"
TEMPLATE = INFRA / "template.yaml"
INSTRUCTION = INFRA / "agent-instruction.txt"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
RELEASE = TARGET / "release"
ARTIFACTS = TARGET / "lambda"
# Amazon Linux 2023 (the provided.al2023 runtime) ships glibc 2.34.
MAX_GLIBC = (2, 34)
# Trunk's hashed output: name-<16 hex>.js / _bg.wasm / .css never changes content.
# Trunk's hash is a hex number without its leading zeros: 12 to 16 digits.
HASHED_ASSET = re.compile(r"-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
}
STACK_NAME = re.compile(r"^[a-z][a-z0-9-]{2,23}$")


class DeployError(Exception):
    pass


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


# ------------------------------------------------------------------------------------------
# Configuration
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Config:
    stack: str
    region: str
    foundation_model: str = "amazon.nova-lite-v1:0"
    inference_profile_prefix: str = ""
    action_group_executor: str = "RETURN_CONTROL"
    model_invocation_logging: str = "true"
    # Optional template parameters, passed only when set (names: OPTIONAL_PARAMETERS).
    optional: dict = None

    @staticmethod
    def from_env(env) -> "Config":
        missing = [name for name in ("STACK_NAME", "AWS_REGION") if not env.get(name)]
        if missing:
            raise DeployError(f"set {' and '.join(missing)} (see README: Deploy to AWS)")
        stack = env["STACK_NAME"]
        if not STACK_NAME.match(stack):
            raise DeployError(
                f"STACK_NAME {stack!r}: 3-24 characters, lower-case letters, digits and '-', "
                "starting with a letter (it names S3 buckets and tables)")
        config = Config(
            stack=stack,
            region=env["AWS_REGION"],
            foundation_model=env.get("FOUNDATION_MODEL") or Config.foundation_model,
            inference_profile_prefix=env.get("INFERENCE_PROFILE_PREFIX", ""),
            action_group_executor=env.get("ACTION_GROUP_EXECUTOR") or Config.action_group_executor,
            model_invocation_logging=env.get("ENABLE_MODEL_INVOCATION_LOGGING") or "true",
            optional={parameter: env[name] for name, parameter in OPTIONAL_PARAMETERS.items()
                      if env.get(name)},
        )
        for name in ("SERVER_CONCURRENCY_LIMIT", "WAF_RATE_LIMIT"):
            if env.get(name) and not env[name].isdigit():
                raise DeployError(f"{name} must be a whole number (0: none)")
        if bool(env.get("DOMAIN_NAME")) != bool(env.get("CERTIFICATE_ARN")):
            raise DeployError("set DOMAIN_NAME and CERTIFICATE_ARN together (an ACM certificate in us-east-1)")
        if config.action_group_executor not in ("RETURN_CONTROL", "LAMBDA"):
            raise DeployError("ACTION_GROUP_EXECUTOR must be RETURN_CONTROL or LAMBDA")
        if config.inference_profile_prefix not in ("", "us", "eu", "apac"):
            raise DeployError("INFERENCE_PROFILE_PREFIX must be empty, us, eu or apac")
        if config.model_invocation_logging not in ("true", "false"):
            raise DeployError("ENABLE_MODEL_INVOCATION_LOGGING must be true or false")
        return config


# Environment variable -> template parameter, for the optional ones.
OPTIONAL_PARAMETERS = {
    "SERVER_CONCURRENCY_LIMIT": "ServerConcurrencyLimit",
    "DOMAIN_NAME": "DomainName",
    "CERTIFICATE_ARN": "CertificateArn",
    "WEB_ACL_ARN": "WebAclArn",
    "WAF_RATE_LIMIT": "WafRateLimit",
}


def files_bucket_name(stack: str, account: str, region: str) -> str:
    """The template's `${AWS::StackName}-files-${AWS::AccountId}-${AWS::Region}`."""
    return f"{stack}-files-{account}-{region}"


def vapid_parameter_name(stack: str) -> str:
    """The template's `/tasko/${AWS::StackName}/vapid-private-key` (VAPID_PRIVATE_KEY_PARAMETER)."""
    return f"/tasko/{stack}/vapid-private-key"


def ensure_vapid_key(ssm, name: str, server_binary: Path) -> bool:
    """Makes the SecureString holding the VAPID private key (Web Push) if it is missing:
    CloudFormation cannot make SecureStrings. An existing one is kept, since a new key would
    orphan every browser's subscription. The key comes from `tasko-server vapid-key` and goes
    straight to SSM, never to the terminal. True when it was made."""
    try:
        ssm.get_parameter(Name=name)  # not decrypted: only whether it is there
        return False
    except ssm.exceptions.ParameterNotFound:
        pass
    pem = subprocess.run([str(server_binary), "vapid-key"], check=True, capture_output=True,
                         text=True).stdout
    try:
        ssm.put_parameter(Name=name, Type="SecureString", Value=pem, Overwrite=False,
                          Description="Tasko's VAPID private key (Web Push), made by make deploy")
    except ssm.exceptions.ParameterAlreadyExists:
        return False  # a concurrent deploy made it first: that one is kept
    return True


def artifact_bucket_name(account: str, region: str) -> str:
    return f"tasko-artifacts-{account}-{region}"


def server_environment(stack: str, account: str, region: str) -> dict:
    """The part of the server function's environment that decides its CSP and config.json,
    as the template sets it (a test holds the two together)."""
    return {
        "AUTH": "cognito",
        "COGNITO_REGION": region,
        "STORE": "dynamodb",
        "DYNAMODB_TABLE_PREFIX": f"{stack}-",
        "FILES": "s3",
        "FILES_S3_BUCKET": files_bucket_name(stack, account, region),
    }


# ------------------------------------------------------------------------------------------
# Build: the Lambda artifacts and dist/
# ------------------------------------------------------------------------------------------
def glibc_versions(binary: Path) -> list:
    """The GLIBC_x.y symbol versions the binary needs, from its dynamic symbol table."""
    out = subprocess.run(["objdump", "-T", str(binary)], check=True, capture_output=True,
                         text=True).stdout
    found = {tuple(int(p) for p in v.split(".")) for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", out)}
    return sorted(found)


def check_binary(binary: Path) -> None:
    header = binary.read_bytes()[:20]
    # ELF, 64-bit, little-endian, e_machine 0x3e (x86-64).
    if header[:4] != b"\x7fELF" or header[4] != 2 or header[18:20] != b"\x3e\x00":
        raise DeployError(f"{binary} is not an x86-64 ELF executable")
    versions = glibc_versions(binary)
    too_new = [v for v in versions if v > MAX_GLIBC]
    if too_new:
        names = ", ".join("GLIBC_" + ".".join(map(str, v)) for v in too_new)
        raise DeployError(f"{binary.name} needs {names}; Amazon Linux 2023 has glibc "
                          f"{'.'.join(map(str, MAX_GLIBC))}. Build on an older distribution.")
    newest = ".".join(map(str, versions[-1])) if versions else "none"
    say(f"{binary.name}: x86-64, needs glibc {newest} at most (Amazon Linux 2023: 2.34)")


def zip_bootstrap(binary: Path, destination: Path) -> Path:
    """A zip with the binary as `bootstrap`, byte-for-byte reproducible (fixed timestamp),
    so its hash names it and an unchanged build uploads nothing."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    info = zipfile.ZipInfo("bootstrap", date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = 0o100755 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(destination, "w") as archive:
        archive.writestr(info, binary.read_bytes())
    return destination


def build_artifacts() -> dict:
    """Release build of both binaries; zips named by what they serve."""
    say("building the release binaries (x86_64, for provided.al2023)")
    subprocess.run(["cargo", "build", "--release", "--locked", "-p", "server", "--bins"],
                   check=True, cwd=ROOT)
    artifacts = {}
    for name in ("tasko-server", "tasko-action-group"):
        binary = RELEASE / name
        check_binary(binary)
        artifacts[name] = zip_bootstrap(binary, ARTIFACTS / f"{name}.zip")
    return artifacts


def content_security_policy(server_binary: Path, env: dict) -> str:
    """`tasko-server csp` for the built dist/ and the server's environment on AWS."""
    result = subprocess.run([str(server_binary), "csp"], capture_output=True, text=True,
                            env={**os.environ, "DIST_DIR": str(DIST), "LOG": "warn", **env})
    if result.returncode != 0:
        raise DeployError(f"tasko-server csp failed: {result.stderr.strip()}")
    return result.stdout.strip()


# ------------------------------------------------------------------------------------------
# The static site
# ------------------------------------------------------------------------------------------
def object_headers(relative: str) -> dict:
    """Content type and caching for a file of dist/: hashed assets are immutable for a year,
    everything else (index.html, config.json, public/) is revalidated on every load."""
    suffix = Path(relative).suffix.lower()
    content_type = CONTENT_TYPES.get(suffix, "application/octet-stream")
    if HASHED_ASSET.search(relative):
        cache = "public, max-age=31536000, immutable"
    else:
        cache = "no-cache"
    return {"ContentType": content_type, "CacheControl": cache}


def site_files(dist: Path) -> list:
    """Relative paths of dist/, index.html last: a page never names assets not yet uploaded."""
    # The .br/.gz copies `make dist` writes are for the server's own static files; CloudFront
    # compresses what it serves itself (the cache policy forwards Accept-Encoding).
    files = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*")
                   if p.is_file() and p.suffix not in (".br", ".gz"))
    return sorted(files, key=lambda f: f == "index.html")


def runtime_config(outputs: dict) -> dict:
    """config.json as the server on Lambda answers it (server/src/startup.rs)."""
    region = outputs["Region"]
    return {
        "apiBaseUrl": "",
        "cognito": {
            "endpoint": f"https://cognito-idp.{region}.amazonaws.com/",
            "region": region,
            "userPoolId": outputs["UserPoolId"],
            "clientId": outputs["UserPoolClientId"],
        },
    }


# ------------------------------------------------------------------------------------------
# AWS
# ------------------------------------------------------------------------------------------
def public_url(config: Config, outputs: dict) -> str:
    """The template's PublicUrl: without a DomainName, the distribution's own address (the
    server's PUBLIC_URL: /mcp's allowed origins, the OAuth metadata); empty while there is
    no distribution yet, and with a DomainName (the template uses that)."""
    if (config.optional or {}).get("DomainName") or not outputs.get("DistributionDomainName"):
        return ""
    return f"https://{outputs['DistributionDomainName']}"


def stack_parameters(config: Config, *, artifact_bucket: str, keys: dict, csp: str,
                     instruction: str, existing_stack: bool, public: str = "") -> list:
    values = {
        "ArtifactBucket": artifact_bucket,
        "ServerArtifactKey": keys["tasko-server"],
        "ActionGroupArtifactKey": keys["tasko-action-group"],
        "ContentSecurityPolicy": csp,
        "AgentInstruction": instruction.strip(),
        "FoundationModel": config.foundation_model,
        "InferenceProfilePrefix": config.inference_profile_prefix,
        "ActionGroupExecutor": config.action_group_executor,
        "EnableModelInvocationLogging": config.model_invocation_logging,
        "PublicUrl": public,
        **(config.optional or {}),
    }
    parameters = [{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()]
    # The origin secret is made once and kept: CloudFront and the function share it.
    if existing_stack:
        parameters.append({"ParameterKey": "OriginSecret", "UsePreviousValue": True})
    else:
        parameters.append({"ParameterKey": "OriginSecret",
                           "ParameterValue": secrets.token_urlsafe(32)})
    return parameters


def ensure_artifact_bucket(s3, name: str, region: str) -> None:
    try:
        s3.head_bucket(Bucket=name)
        return
    except s3.exceptions.ClientError as error:
        if error.response["Error"]["Code"] not in ("404", "NoSuchBucket"):
            raise
    say(f"creating the artifact bucket {name}")
    options = {} if region == "us-east-1" else {
        "CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=name, **options)
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True,
        "BlockPublicPolicy": True, "RestrictPublicBuckets": True})


def upload_artifact(s3, bucket: str, path: Path, name: str) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    key = f"{name}/{digest}.zip"
    s3.upload_file(str(path), bucket, key)
    return key


def stack_status(cfn, stack: str):
    try:
        return cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    except cfn.exceptions.ClientError as error:
        if "does not exist" in str(error):
            return None
        raise


def failure_reasons(cfn, stack: str) -> str:
    events = cfn.describe_stack_events(StackName=stack)["StackEvents"][:40]
    lines = [f"  {e['LogicalResourceId']}: {e.get('ResourceStatusReason', '')}"
             for e in events if e["ResourceStatus"].endswith("FAILED")]
    return "\n".join(reversed(lines)) or "  (no failed resources reported)"


def deploy_stack(cfn, stack: str, template_url: str, parameters: list, existing: bool) -> None:
    name = f"tasko-{int(time.time())}"
    cfn.create_change_set(
        StackName=stack, ChangeSetName=name, ChangeSetType="UPDATE" if existing else "CREATE",
        TemplateURL=template_url, Parameters=parameters,
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
        Tags=[{"Key": "app", "Value": "tasko"}])
    try:
        cfn.get_waiter("change_set_create_complete").wait(
            StackName=stack, ChangeSetName=name, WaiterConfig={"Delay": 5, "MaxAttempts": 120})
    except Exception:
        described = cfn.describe_change_set(StackName=stack, ChangeSetName=name)
        reason = described.get("StatusReason", "")
        if "didn't contain changes" in reason or "No updates" in reason:
            say("the stack is already up to date")
            cfn.delete_change_set(StackName=stack, ChangeSetName=name)
            return
        raise DeployError(f"the change set failed: {reason}")
    say(f"{'updating' if existing else 'creating'} stack {stack} (CloudFront takes minutes)")
    cfn.execute_change_set(StackName=stack, ChangeSetName=name)
    waiter = "stack_update_complete" if existing else "stack_create_complete"
    try:
        cfn.get_waiter(waiter).wait(StackName=stack, WaiterConfig={"Delay": 15, "MaxAttempts": 240})
    except Exception as error:
        raise DeployError(f"the stack did not deploy ({error}):\n{failure_reasons(cfn, stack)}")


def stack_outputs(cfn, stack: str) -> dict:
    described = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def deploy_with_public_url(cfn, config: Config, template_url: str, parameters_for,
                           existing: bool) -> dict:
    """Deploys the stack with PublicUrl as the distribution's address, and deploys again
    when that address was not known yet or changed (the first creation: the distribution
    comes with the stack; a replaced distribution), so the function always ends with it.
    `parameters_for(existing, public)` makes the parameter list. Returns the outputs."""
    public = public_url(config, stack_outputs(cfn, config.stack) if existing else {})
    deploy_stack(cfn, config.stack, template_url, parameters_for(existing, public), existing)
    outputs = stack_outputs(cfn, config.stack)
    wanted = public_url(config, outputs)
    if wanted != public:
        say(f"setting the server's PUBLIC_URL to {wanted}")
        deploy_stack(cfn, config.stack, template_url, parameters_for(True, wanted), True)
        outputs = stack_outputs(cfn, config.stack)
    return outputs


def upload_site(s3, bucket: str, dist: Path) -> int:
    files = site_files(dist)
    for relative in files:
        s3.upload_file(str(dist / relative), bucket, relative, ExtraArgs=object_headers(relative))
    return len(files)


def check_live_config(url: str, expected: dict, attempts: int = 40) -> None:
    """The deployed app answers config.json as the outputs say (through CloudFront, the
    secret header and the function): the end-to-end check of the wiring."""
    last = None
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(f"{url}/config.json", timeout=10) as response:
                last = json.load(response)
                if last == expected:
                    return
        except Exception as error:  # not reachable yet: DNS and the edge take a while
            last = error
        time.sleep(5)
    raise DeployError(f"{url}/config.json does not answer as expected; last answer: {last}")


def deploy(env) -> None:
    import boto3

    config = Config.from_env(env)
    session = boto3.Session(region_name=config.region)
    try:
        account = session.client("sts").get_caller_identity()["Account"]
    except Exception as error:
        raise DeployError(f"no usable AWS credentials ({error})")
    artifacts = build_artifacts()
    say("building dist/")
    subprocess.run(["make", "dist"], check=True, cwd=ROOT)

    s3 = session.client("s3")
    cfn = session.client("cloudformation")
    bucket = artifact_bucket_name(account, config.region)
    ensure_artifact_bucket(s3, bucket, config.region)
    keys = {name: upload_artifact(s3, bucket, path, name) for name, path in artifacts.items()}
    template_key = f"templates/{hashlib.sha256(TEMPLATE.read_bytes()).hexdigest()[:32]}.yaml"
    s3.upload_file(str(TEMPLATE), bucket, template_key)
    template_url = f"https://{bucket}.s3.{config.region}.amazonaws.com/{template_key}"

    server_env = server_environment(config.stack, account, config.region)
    # The CSP only depends on origins: the pool's id and client are not known yet.
    csp_env = {**server_env, "COGNITO_USER_POOL_ID": f"{config.region}_pending",
               "COGNITO_CLIENT_ID": "pending", "AWS_REGION": config.region}
    csp = content_security_policy(RELEASE / "tasko-server", csp_env)

    status = stack_status(cfn, config.stack)
    if status == "ROLLBACK_COMPLETE":
        say(f"removing the failed first attempt of {config.stack}")
        cfn.delete_stack(StackName=config.stack)
        cfn.get_waiter("stack_delete_complete").wait(StackName=config.stack)
        status = None
    existing = status is not None
    vapid = vapid_parameter_name(config.stack)
    if ensure_vapid_key(session.client("ssm"), vapid, RELEASE / "tasko-server"):
        say(f"made the VAPID key (Web Push) in the SecureString parameter {vapid}")

    def parameters_for(existing_stack: bool, public: str) -> list:
        return stack_parameters(config, artifact_bucket=bucket, keys=keys, csp=csp,
                                instruction=INSTRUCTION.read_text(),
                                existing_stack=existing_stack, public=public)

    outputs = deploy_with_public_url(cfn, config, template_url, parameters_for, existing)
    app_config = runtime_config(outputs)
    (DIST / "config.json").write_text(json.dumps(app_config, indent=2) + "\n")
    count = upload_site(s3, outputs["SiteBucket"], DIST)
    say(f"uploaded {count} files of dist/ to {outputs['SiteBucket']}")
    session.client("cloudfront").create_invalidation(
        DistributionId=outputs["DistributionId"],
        InvalidationBatch={"Paths": {"Quantity": 3, "Items": ["/", "/index.html", "/config.json"]},
                           "CallerReference": str(time.time())})
    check_live_config(outputs["AppUrl"], app_config)
    say(f"Tasko is live: {outputs['AppUrl']}")


def destroy(env) -> None:
    import boto3

    config = Config.from_env(env)
    session = boto3.Session(region_name=config.region)
    cfn = session.client("cloudformation")
    if stack_status(cfn, config.stack) is None:
        raise DeployError(f"there is no stack {config.stack} in {config.region}")
    outputs = stack_outputs(cfn, config.stack)
    site = outputs.get("SiteBucket")
    if site:
        say(f"emptying {site} (the built frontend; `make deploy` uploads it again)")
        bucket = session.resource("s3").Bucket(site)
        bucket.objects.all().delete()
    say(f"deleting stack {config.stack}")
    cfn.delete_stack(StackName=config.stack)
    cfn.get_waiter("stack_delete_complete").wait(
        StackName=config.stack, WaiterConfig={"Delay": 15, "MaxAttempts": 240})
    prefix = outputs.get("TablePrefix", f"{config.stack}-")
    print(f"""
Removed: the distribution, the functions, the agent, the guardrail, the roles, the log
groups and the site bucket.
Kept (DeletionPolicy: Retain: users' data; delete them yourself when you are sure):
  DynamoDB tables   {', '.join(prefix + t for t in
                    ('todos', 'files', 'lists', 'chat_conversations', 'chat_messages',
                     'connections', 'entries'))}
  S3 bucket         {outputs.get('FilesBucket', '(files bucket)')}
  Cognito pool      {outputs.get('UserPoolId', '(user pool)')}
  Artifacts bucket  tasko-artifacts-<account>-{config.region} (shared by stacks of this account)
  SSM parameter     {vapid_parameter_name(config.stack)} (the VAPID key: browsers'
                    notification subscriptions are bound to it)
Deploying {config.stack} again needs these names free: delete or rename the kept resources,
or choose another STACK_NAME.""")


def main(argv) -> int:
    command = argv[1] if len(argv) > 1 else ""
    try:
        if command == "artifact":
            for name, path in build_artifacts().items():
                say(f"{name}: {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KiB)")
        elif command == "deploy":
            deploy(os.environ)
        elif command == "destroy":
            destroy(os.environ)
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except DeployError as error:
        print(f"deploy: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
