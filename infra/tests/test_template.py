"""Assertions on infra/template.yaml: what the code relies on and what the issue promises,
checked without AWS. (cfn-lint checks the resource schemas; moto creates the data resources
in test_stack_on_moto.py.)"""

import json
import re
import subprocess
import urllib.request

import pytest

import cfn
import deploy
from conftest import INFRA, ROOT, running_server

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ALL_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}
# The only statements allowed a "*" resource: actions that have no resource type.
STAR_RESOURCE_EXCEPTIONS = {
    ("ModelInvocationLoggingFunctionRole", "bedrock:PutModelInvocationLoggingConfiguration"),
    ("ModelInvocationLoggingFunctionRole", "bedrock:DeleteModelInvocationLoggingConfiguration"),
}


def resources(template, kind):
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def distribution(template):
    return template["Resources"]["Distribution"]["Properties"]["DistributionConfig"]


def server_env(template):
    return template["Resources"]["ServerFunction"]["Properties"]["Environment"]["Variables"]


def test_the_server_streams_through_its_function_url(template):
    function = template["Resources"]["ServerFunction"]
    assert function["Type"] == "AWS::Serverless::Function"
    assert function["Properties"]["FunctionUrlConfig"] == {
        "AuthType": "NONE", "InvokeMode": "RESPONSE_STREAM"}
    assert template["Globals"]["Function"]["Runtime"] == "provided.al2023"
    assert template["Globals"]["Function"]["Architectures"] == ["x86_64"]
    # Safe without IAM auth only because every request must carry the origin secret.
    assert server_env(template)["ORIGIN_SECRET"] == {"Ref": "OriginSecret"}


def test_the_api_goes_to_the_function_uncached_with_the_secret_and_the_bearer_header(template):
    config = distribution(template)
    assert "CustomErrorResponses" not in config
    origins = {o["Id"]: o for o in config["Origins"]}
    server = origins["server"]
    assert server["OriginCustomHeaders"] == [
        {"HeaderName": "X-Tasko-Origin-Secret", "HeaderValue": {"Ref": "OriginSecret"}}]
    assert "ServerFunctionUrl" in json.dumps(server["DomainName"])
    assert "OriginAccessControlId" not in server  # SigV4 would replace the Bearer header
    assert origins["site"]["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
    behaviours = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert set(behaviours) == {"/api/*", "/config.json", "/files/*", "/mcp",
                               "/.well-known/oauth-*", "/oauth/*"}
    for behaviour in behaviours.values():
        assert behaviour["TargetOriginId"] == "server"
        assert set(behaviour["AllowedMethods"]) == ALL_METHODS
        assert behaviour["CachePolicyId"] == CACHING_DISABLED
        assert behaviour["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "SecurityHeadersPolicy"}
    default = config["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == "site" and default["Compress"] is True
    assert default["ResponseHeadersPolicyId"] == {"Ref": "SecurityHeadersPolicy"}


def test_mcp_and_its_oauth_metadata_reach_the_function_with_every_method_and_header(template):
    behaviours = {b["PathPattern"]: b for b in distribution(template)["CacheBehaviors"]}
    # /oauth/*: the authorization server's endpoints (authorize, token, register, revoke).
    for path in ("/mcp", "/.well-known/oauth-*", "/oauth/*"):
        behaviour = behaviours[path]
        assert behaviour["TargetOriginId"] == "server"
        assert set(behaviour["AllowedMethods"]) == ALL_METHODS
        # Never cached; every viewer header (Authorization, Mcp-Session-Id,
        # MCP-Protocol-Version) forwarded, Host excepted (the function URL needs its own).
        assert behaviour["CachePolicyId"] == CACHING_DISABLED
        assert behaviour["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST
    # The resource metadata and /mcp's allowed origins name the public address: the custom
    # domain, else the distribution's own, passed by `make deploy` (PublicUrl).
    assert server_env(template)["PUBLIC_URL"] == {
        "Fn::If": ["HasDomain", {"Fn::Sub": "https://${DomainName}"},
                   {"Fn::If": ["HasPublicUrl", {"Ref": "PublicUrl"}, {"Ref": "AWS::NoValue"}]}]}
    assert template["Conditions"]["HasPublicUrl"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "PublicUrl"}, ""]}]}
    pattern = re.compile(template["Parameters"]["PublicUrl"]["AllowedPattern"])
    for good in ("", "https://d111111abcdef8.cloudfront.net"):
        assert pattern.fullmatch(good), good
    for bad in ("http://d1.cloudfront.net", "https://d1.cloudfront.net/", "d1.cloudfront.net"):
        assert not pattern.fullmatch(bad), bad


def test_deploy_sets_public_url_to_the_distribution_once_it_exists(monkeypatch):
    """Without a DomainName: the first deploy creates the stack (no distribution yet, so no
    PublicUrl), then deploys again with the distribution's address; later deploys pass it
    from the start and deploy once. With a DomainName, PublicUrl stays empty."""
    outputs = {}
    deployed = []

    def fake_deploy_stack(cfn, stack, template_url, parameters, existing):
        deployed.append((existing, parameters["PublicUrl"]))
        outputs["DistributionDomainName"] = "d111111abcdef8.cloudfront.net"

    monkeypatch.setattr(deploy, "deploy_stack", fake_deploy_stack)
    monkeypatch.setattr(deploy, "stack_outputs", lambda cfn, stack: dict(outputs))
    plain = deploy.Config(stack="tasko-demo", region="eu-west-1")

    def parameters_for(existing, public):
        return {"PublicUrl": public}

    final = deploy.deploy_with_public_url(None, plain, "url", parameters_for, existing=False)
    public = "https://d111111abcdef8.cloudfront.net"
    assert deployed == [(False, ""), (True, public)]
    assert final["DistributionDomainName"] == "d111111abcdef8.cloudfront.net"
    deployed.clear()
    deploy.deploy_with_public_url(None, plain, "url", parameters_for, existing=True)
    assert deployed == [(True, public)]

    deployed.clear()
    outputs.clear()
    named = deploy.Config(stack="tasko-demo", region="eu-west-1",
                          optional={"DomainName": "tasko.example.com"})
    deploy.deploy_with_public_url(None, named, "url", parameters_for, existing=False)
    assert deployed == [(False, "")]
    keys = {"tasko-server": "s.zip", "tasko-action-group": "a.zip"}
    passed = {p["ParameterKey"]: p.get("ParameterValue") for p in deploy.stack_parameters(
        plain, artifact_bucket="b", keys=keys, csp="c", instruction="i", existing_stack=True,
        public=public)}
    assert passed["PublicUrl"] == public


def test_static_caching_follows_the_files_and_compresses(template):
    policy = template["Resources"]["StaticCachePolicy"]["Properties"]["CachePolicyConfig"]
    assert policy["MinTTL"] == 0  # `no-cache` from the origin means revalidate
    keys = policy["ParametersInCacheKeyAndForwardedToOrigin"]
    assert keys["EnableAcceptEncodingGzip"] and keys["EnableAcceptEncodingBrotli"]
    assert deploy.object_headers("frontend-4af16c0a4c877d72_bg.wasm") == {
        "ContentType": "application/wasm", "CacheControl": "public, max-age=31536000, immutable"}
    assert deploy.object_headers("frontend-4af16c0a4c877d72.js")["CacheControl"].endswith("immutable")
    assert deploy.object_headers("main-de4f7b4591e4571c.css")["CacheControl"].endswith("immutable")
    # Trunk drops a hash's leading zeros: 15 digits are a hash too.
    assert deploy.object_headers("frontend-7d3a7d6e0bd115e_bg.wasm")["CacheControl"].endswith(
        "immutable")
    for revalidated in ("index.html", "config.json", "public/favicon.svg"):
        assert deploy.object_headers(revalidated)["CacheControl"] == "no-cache"
    assert deploy.object_headers("index.html")["ContentType"] == "text/html; charset=utf-8"


def test_the_built_frontend_uploads_index_html_last():
    files = deploy.site_files(ROOT / "dist")
    assert files[-1] == "index.html"
    assert any(f.endswith("_bg.wasm") for f in files)
    assert not any(f.endswith((".br", ".gz")) for f in files), "CloudFront compresses itself"


def test_the_edge_sends_the_servers_security_headers(template, server_bin, tmp_path):
    config = template["Resources"]["SecurityHeadersPolicy"]["Properties"][
        "ResponseHeadersPolicyConfig"]
    security = config["SecurityHeadersConfig"]
    assert security["ContentSecurityPolicy"]["ContentSecurityPolicy"] == {
        "Ref": "ContentSecurityPolicy"}
    custom = {h["Header"].lower(): h["Value"] for h in config["CustomHeadersConfig"]["Items"]}
    with running_server(server_bin, {"DIST_DIR": str(ROOT / "dist"),
                                     "PUBLIC_URL": "https://tasko.example"}) as base:
        # PUBLIC_URL is https, as CloudFront is, so the server sends HSTS too.
        with urllib.request.urlopen(f"{base}/") as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
    assert headers["permissions-policy"] == custom["permissions-policy"]
    assert headers["cross-origin-opener-policy"] == custom["cross-origin-opener-policy"]
    assert headers["x-frame-options"] == security["FrameOptions"]["FrameOption"]
    assert headers["referrer-policy"] == security["ReferrerPolicy"]["ReferrerPolicy"]
    assert headers["x-content-type-options"] == "nosniff"
    hsts = security["StrictTransportSecurity"]
    assert headers["strict-transport-security"] == (
        f"max-age={hsts['AccessControlMaxAgeSec']}; includeSubDomains")


def test_the_csp_deploy_passes_is_the_one_the_server_sends(server_bin):
    """`make deploy` computes the CSP with `tasko-server csp` for the function's environment;
    a server with that environment sends exactly it."""
    env = {
        "AUTH": "cognito",
        "COGNITO_REGION": "eu-west-1",
        "COGNITO_USER_POOL_ID": "eu-west-1_pending",
        "COGNITO_CLIENT_ID": "pending",
        # The JWKS is fetched lazily; nothing here signs in.
        "COGNITO_JWKS_URL": "http://127.0.0.1:9/jwks.json",
        "DIST_DIR": str(ROOT / "dist"),
    }
    csp = deploy.content_security_policy(server_bin, env)
    assert "'sha256-" in csp and "https://cognito-idp.eu-west-1.amazonaws.com" in csp
    with running_server(server_bin, env) as base:
        with urllib.request.urlopen(f"{base}/") as response:
            assert response.headers["Content-Security-Policy"] == csp
    assert len(csp) <= 1783  # CloudFront's limit for the header in a policy


def test_deploy_gives_the_csp_the_environment_the_function_gets(template):
    env = server_env(template)
    expected = deploy.server_environment("{stack}", "{account}", "{region}")
    substitutions = {"${AWS::StackName}": "{stack}", "${AWS::AccountId}": "{account}",
                     "${AWS::Region}": "{region}"}

    def resolve(value):
        if isinstance(value, str):
            return value
        if "Ref" in value and value["Ref"] == "AWS::Region":
            return "{region}"
        text = value["Fn::Sub"]
        for old, new in substitutions.items():
            text = text.replace(old, new)
        return text

    for key, value in expected.items():
        assert resolve(env[key]) == value, key
    bucket = template["Resources"]["FilesBucket"]["Properties"]["BucketName"]["Fn::Sub"]
    assert bucket.replace("${AWS::StackName}", "s").replace("${AWS::AccountId}", "a").replace(
        "${AWS::Region}", "r") == deploy.files_bucket_name("s", "a", "r")


def test_the_agents_function_schema_is_generated_from_the_tool_definition(template, server_bin):
    generated = json.loads(subprocess.run([server_bin, "function-schema"], check=True,
                                          capture_output=True, text=True).stdout)
    (group,) = template["Resources"]["Agent"]["Properties"]["ActionGroups"]
    assert group["FunctionSchema"] == cfn.cfn_function_schema(generated), (
        "the template's FunctionSchema is stale: run `make infra-schema`")
    assert generated == json.loads((INFRA / "function-schema.json").read_text())


def test_the_agent_returns_control_and_moves_its_alias_to_each_new_version(template):
    agent = template["Resources"]["Agent"]["Properties"]
    assert agent["IdleSessionTTLInSeconds"] == 1800
    assert agent["Instruction"] == {"Ref": "AgentInstruction"}
    assert agent["AutoPrepare"] is True
    (group,) = agent["ActionGroups"]
    executor = group["ActionGroupExecutor"]["Fn::If"]
    assert executor[0] == "UseLambdaExecutor" and executor[2] == {"CustomControl": "RETURN_CONTROL"}
    assert template["Parameters"]["ActionGroupExecutor"]["Default"] == "RETURN_CONTROL"
    assert agent["GuardrailConfiguration"]["GuardrailVersion"] == {
        "Fn::GetAtt": ["GuardrailVersion", "Version"]}
    alias = template["Resources"]["AgentAlias"]["Properties"]
    assert "RoutingConfiguration" not in alias and "${Agent.PreparedAt}" in alias["Description"]["Fn::Sub"]
    assert template["Parameters"]["FoundationModel"]["Default"] == "amazon.nova-lite-v1:0"
    permission = template["Resources"]["ActionGroupPermission"]["Properties"]
    assert permission["Principal"] == "bedrock.amazonaws.com"
    assert permission["SourceArn"] == {"Fn::GetAtt": ["Agent", "AgentArn"]}


def test_the_guardrail_filters_prompt_attacks_and_denies_topics(template):
    guardrail = template["Resources"]["Guardrail"]["Properties"]
    filters = {f["Type"]: f for f in guardrail["ContentPolicyConfig"]["FiltersConfig"]}
    assert filters["PROMPT_ATTACK"]["InputStrength"] == "HIGH"
    topics = guardrail["TopicPolicyConfig"]["TopicsConfig"]
    assert topics and all(t["Type"] == "DENY" for t in topics)


def test_the_instruction_fits_the_agent():
    text = (INFRA / "agent-instruction.txt").read_text().strip()
    assert 40 <= len(text) <= 4000
    assert "today" in text and "timeZone" in text


def test_the_model_invocation_logging_custom_resource(template):
    function = template["Resources"]["ModelInvocationLoggingFunction"]["Properties"]
    code = function["Code"]["ZipFile"]
    assert re.search(r'PHYSICAL_ID = "[^"]+"', code), "a stable physical id"
    assert "delete_model_invocation_logging_configuration" in code
    assert "put_model_invocation_logging_configuration" in code
    compile(code, "index.py", "exec")
    statements = template["Resources"]["ModelInvocationLoggingFunctionRole"]["Properties"][
        "Policies"][0]["PolicyDocument"]["Statement"]
    (pass_role,) = [s for s in statements if s["Action"] == "iam:PassRole"]
    assert pass_role["Resource"] == {"Fn::GetAtt": ["ModelInvocationLoggingRole", "Arn"]}


def test_cognito_has_the_policy_the_sign_up_page_states(template):
    pool = template["Resources"]["UserPool"]["Properties"]
    assert pool["UsernameAttributes"] == ["email"]
    policy = pool["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == 8
    assert all(policy[k] for k in ("RequireLowercase", "RequireUppercase", "RequireNumbers",
                                   "RequireSymbols"))
    page = (ROOT / "app/src/ui/auth/parts.rs").read_text()
    assert "At least 8 characters, with upper- and lower-case letters, a digit and a symbol." in page
    client = template["Resources"]["UserPoolClient"]["Properties"]
    assert client["GenerateSecret"] is False
    assert set(client["ExplicitAuthFlows"]) == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
    assert client["PreventUserExistenceErrors"] == "ENABLED"


def test_data_is_kept_and_recoverable(template):
    tables = resources(template, "AWS::DynamoDB::Table")
    assert len(tables) == 7
    for name, table in tables.items():
        assert table["DeletionPolicy"] == "Retain", name
        assert table["Properties"]["PointInTimeRecoverySpecification"] == {
            "PointInTimeRecoveryEnabled": True}, name
    for name in ("FilesBucket", "UserPool"):
        assert template["Resources"][name]["DeletionPolicy"] == "Retain"
    files = template["Resources"]["FilesBucket"]["Properties"]
    (rule,) = files["CorsConfiguration"]["CorsRules"]
    assert set(rule["AllowedMethods"]) == {"PUT", "GET"}
    app = {"Fn::Sub": "https://${Distribution.DomainName}"}
    # The custom domain, when there is one, is an origin of the app as well.
    assert rule["AllowedOrigins"] == {"Fn::If": [
        "HasDomain", [app, {"Fn::Sub": "https://${DomainName}"}], [app]]}
    # The headers the presigned PUT carries (server/src/files/s3.rs).
    assert set(rule["AllowedHeaders"]) == {"content-type", "if-none-match"}
    lifecycle = {r["Id"]: r for r in files["LifecycleConfiguration"]["Rules"]}
    assert lifecycle["abandoned-uploads"]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 1
    assert all(files["PublicAccessBlockConfiguration"].values())
    # A deleted or overwritten file can be recovered for a while, and not kept for ever.
    assert files["VersioningConfiguration"] == {"Status": "Enabled"}
    old = lifecycle["old-versions"]
    assert old["Status"] == "Enabled"
    assert 1 <= old["NoncurrentVersionExpiration"]["NoncurrentDays"] <= 90


def test_ssm_publishes_what_other_stacks_need(template):
    names = {p["Properties"]["Name"]["Fn::Sub"].rsplit("/", 1)[1]
             for p in resources(template, "AWS::SSM::Parameter").values()}
    assert names == {"user-pool-id", "user-pool-client-id", "table-prefix", "files-bucket",
                     "agent-id", "agent-alias-id"}


def policy_statements(template):
    """(resource name, statement) of every policy document in the template."""
    for name, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        if resource["Type"] != "AWS::IAM::Role" and "PolicyDocument" not in properties:
            continue
        for policy in properties.get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                yield name, statement
        if "PolicyDocument" in properties:
            for statement in properties["PolicyDocument"]["Statement"]:
                yield name, statement


def as_list(value):
    return value if isinstance(value, list) else [value]


def test_no_statement_allows_every_action_or_every_resource(template):
    statements = list(policy_statements(template))
    assert len(statements) > 10
    for name, statement in statements:
        if "Fn::If" in statement:  # a conditional statement: check the one it may add
            statement = statement["Fn::If"][1]
        if statement["Effect"] == "Deny":
            continue  # a deny on "*" only narrows (HTTPS only)
        actions = as_list(statement["Action"])
        assert not any("*" in a for a in actions), (name, actions)
        if "*" in as_list(statement.get("Resource", [])):
            for action in actions:
                assert (name, action) in STAR_RESOURCE_EXCEPTIONS, (name, action)


# A TransactWriteItems is authorised action by action: each item kind it is built from.
TRANSACTION_ITEMS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                     "ConditionCheck": "ConditionCheckItem"}


def sdk_operations(directory):
    """DynamoDB / S3 operations the Rust code calls (`.get_item()` ...), as IAM action names;
    a transaction counts as the operations of the items it is built from (`Update::builder()`)."""
    names = set()
    actions = set()
    for path in (ROOT / directory).rglob("*.rs"):
        text = path.read_text()
        names |= set(re.findall(r"\.(\w+)\(\)\s*\n?\s*\.(?:table_name|bucket|set_request_items|request_items)", text))
        if ".transact_write_items()" in text or "TransactWriteItem" in text:
            for kind in re.findall(r"\b(Put|Update|Delete|ConditionCheck)::builder\(\)", text):
                actions.add(TRANSACTION_ITEMS[kind])
    return {"".join(part.title() for part in name.split("_")) for name in names} | actions


def test_the_server_may_do_exactly_what_its_code_does(template):
    statements = template["Resources"]["ServerRole"]["Properties"]["Policies"][0][
        "PolicyDocument"]["Statement"]
    granted = {a for s in statements for a in as_list(s["Action"])}
    dynamodb = {a.split(":")[1] for a in granted if a.startswith("dynamodb:")}
    used = {op for op in sdk_operations("server/src/store")}
    used -= {"CreateTable", "UpdateTimeToLive"}  # DYNAMODB_CREATE_TABLES=1 only, never on AWS
    assert dynamodb == used
    s3 = {a.split(":")[1] for a in granted if a.startswith("s3:")}
    s3_used = sdk_operations("server/src/files") - {"CreateBucket", "HeadBucket", "PutBucketCors"}
    # HeadObject is authorised as GetObject; ListBucket makes a missing key 404, not 403.
    assert s3 == (s3_used - {"HeadObject"}) | {"ListBucket"}
    (invoke,) = [s for s in statements if s["Action"] == "bedrock:InvokeAgent"]
    assert invoke["Resource"] == {"Fn::GetAtt": ["AgentAlias", "AgentAliasArn"]}


@pytest.mark.parametrize("variable", ["STACK_NAME", "AWS_REGION"])
def test_deploy_fails_loudly_on_a_missing_parameter(variable):
    env = {"STACK_NAME": "tasko-demo", "AWS_REGION": "eu-west-1"}
    del env[variable]
    with pytest.raises(deploy.DeployError, match=variable):
        deploy.Config.from_env(env)
    with pytest.raises(deploy.DeployError, match="lower-case"):
        deploy.Config.from_env({"STACK_NAME": "Tasko_Demo", "AWS_REGION": "eu-west-1"})


def test_the_origin_secret_is_made_once_and_kept():
    config = deploy.Config(stack="tasko-demo", region="eu-west-1")
    keys = {"tasko-server": "s.zip", "tasko-action-group": "a.zip"}
    first = deploy.stack_parameters(config, artifact_bucket="b", keys=keys, csp="default-src 'self'",
                                    instruction="x" * 50, existing_stack=False)
    (secret,) = [p for p in first if p["ParameterKey"] == "OriginSecret"]
    assert len(secret["ParameterValue"]) >= 32
    again = deploy.stack_parameters(config, artifact_bucket="b", keys=keys, csp="c",
                                    instruction="x" * 50, existing_stack=True)
    assert {"ParameterKey": "OriginSecret", "UsePreviousValue": True} in again
    declared = cfn.load_template()["Parameters"]
    passed = {p["ParameterKey"] for p in first}
    assert passed <= set(declared)
    assert {name for name, p in declared.items() if "Default" not in p} <= passed


def test_the_github_workflow_tests_then_deploys_with_an_oidc_role():
    import yaml

    workflow = yaml.safe_load((ROOT / ".github/workflows/deploy.yml").read_text())
    jobs = workflow["jobs"]
    assert any("bash .ci/run" in step.get("run", "") for step in jobs["test"]["steps"])
    deploy_job = jobs["deploy"]
    assert deploy_job["needs"] == "test"
    assert deploy_job["permissions"]["id-token"] == "write"
    steps = deploy_job["steps"]
    assert "missing" in steps[0]["run"] and "exit 1" in steps[0]["run"]
    (credentials,) = [s for s in steps if "configure-aws-credentials" in s.get("uses", "")]
    assert set(credentials["with"]) == {"role-to-assume", "aws-region"}
    assert steps[-1]["run"] == "make deploy"
    text = (ROOT / ".github/workflows/deploy.yml").read_text()
    assert "aws-access-key-id" not in text and "secrets." not in text


def test_the_config_json_deploy_writes_is_what_the_function_answers(server_bin):
    """`make deploy` writes config.json from the outputs and then waits until the live
    one equals it: both must be what the server answers for the template's settings."""
    outputs = {"Region": "eu-west-1", "UserPoolId": "eu-west-1_AbCdEf", "UserPoolClientId": "abc123"}
    env = {
        "AUTH": "cognito",
        "COGNITO_REGION": outputs["Region"],
        "COGNITO_USER_POOL_ID": outputs["UserPoolId"],
        "COGNITO_CLIENT_ID": outputs["UserPoolClientId"],
        "COGNITO_JWKS_URL": "http://127.0.0.1:9/jwks.json",
    }
    with running_server(server_bin, env) as base:
        with urllib.request.urlopen(f"{base}/config.json") as response:
            served = json.load(response)
    assert served == deploy.runtime_config(outputs)


def condition_of(template, value):
    """The condition an `Fn::If` property turns on, checked to be `[cond, value, NoValue]`."""
    (name, when, otherwise) = value["Fn::If"]
    assert otherwise == {"Ref": "AWS::NoValue"}
    return name, when


def test_the_server_function_can_be_capped_and_deploys_uncapped_by_default(template):
    cap = template["Resources"]["ServerFunction"]["Properties"]["ReservedConcurrentExecutions"]
    name, when = condition_of(template, cap)
    assert when == {"Ref": "ServerConcurrencyLimit"}
    # 0 means no cap: a reservation fails on fresh accounts (quota 10, 10 kept unreserved).
    assert template["Parameters"]["ServerConcurrencyLimit"]["Default"] == 0
    assert template["Conditions"][name] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "ServerConcurrencyLimit"}, "0"]}]}


def test_a_custom_domain_gets_its_certificate_and_tls_1_2_or_newer(template):
    config = distribution(template)
    name, aliases = condition_of(template, config["Aliases"])
    assert aliases == [{"Ref": "DomainName"}]
    (cond, own, default) = config["ViewerCertificate"]["Fn::If"]
    assert cond == name
    assert own == {"AcmCertificateArn": {"Ref": "CertificateArn"},
                   "MinimumProtocolVersion": "TLSv1.2_2021", "SslSupportMethod": "sni-only"}
    assert default == {"CloudFrontDefaultCertificate": True}
    # Both parameters are needed; CloudFront reads certificates in us-east-1 only.
    condition = json.dumps(template["Conditions"][name])
    assert '"Ref": "DomainName"' in condition and '"Ref": "CertificateArn"' in condition
    pattern = re.compile(template["Parameters"]["CertificateArn"]["AllowedPattern"])
    assert pattern.match("")
    assert pattern.match("arn:aws:acm:us-east-1:123456789012:certificate/0a1b-2c3d")
    assert not pattern.match("arn:aws:acm:eu-west-1:123456789012:certificate/0a1b-2c3d")
    outputs = template["Outputs"]
    assert outputs["AppUrl"]["Value"]["Fn::If"][0] == name


def test_a_web_acl_is_attached_when_given_or_made_in_us_east_1(template):
    name, acl = condition_of(template, distribution(template)["WebACLId"])
    assert acl == {"Fn::If": ["HasWebAclArn", {"Ref": "WebAclArn"}, {"Fn::GetAtt": ["WebAcl", "Arn"]}]}
    assert template["Conditions"][name] == {
        "Fn::Or": [{"Condition": "HasWebAclArn"}, {"Condition": "CreateWebAcl"}]}
    assert {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]} in (
        template["Conditions"]["CreateWebAcl"]["Fn::And"])
    acl = template["Resources"]["WebAcl"]
    assert acl["Condition"] == "CreateWebAcl"
    assert acl["Properties"]["Scope"] == "CLOUDFRONT"
    (rule,) = acl["Properties"]["Rules"]
    assert rule["Action"] == {"Block": {}}
    assert rule["Statement"]["RateBasedStatement"] == {
        "Limit": {"Ref": "WafRateLimit"}, "AggregateKeyType": "IP"}


def test_cloudfront_and_the_files_bucket_write_access_logs_that_expire(template):
    logs = template["Resources"]["LogsBucket"]
    assert distribution(template)["Logging"]["Bucket"] == {"Fn::GetAtt": ["LogsBucket", "DomainName"]}
    files = template["Resources"]["FilesBucket"]["Properties"]
    assert files["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": "LogsBucket"}
    props = logs["Properties"]
    # CloudFront's standard logging writes through an ACL grant: ACLs must stay enabled.
    assert props["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerPreferred"}]
    assert all(props["PublicAccessBlockConfiguration"].values())
    (rule,) = props["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] == {"Ref": "LogRetentionDays"}
    # S3's own access logging may write under s3/ only.
    (policy,) = [
        r for r in resources(template, "AWS::S3::BucketPolicy").values()
        if r["Properties"]["Bucket"] == {"Ref": "LogsBucket"}]
    (allow,) = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert allow["Resource"] == {"Fn::Sub": "${LogsBucket.Arn}/s3/*"}
    assert files["LoggingConfiguration"]["LogFilePrefix"].startswith("s3/")


def test_every_checkov_skip_says_why(template):
    skips = [(name, skip) for name, r in template["Resources"].items()
             for skip in r.get("Metadata", {}).get("checkov", {}).get("skip", [])]
    assert skips
    for name, skip in skips:
        assert re.fullmatch(r"CKV2?_AWS_\d+", skip["id"]), (name, skip)
        assert len(skip.get("comment", "")) >= 20, (name, skip)


def test_deploy_passes_the_optional_parameters_from_the_environment(template):
    env = {"STACK_NAME": "tasko-demo", "AWS_REGION": "us-east-1", "SERVER_CONCURRENCY_LIMIT": "50",
           "DOMAIN_NAME": "tasko.example.com",
           "CERTIFICATE_ARN": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b",
           "WEB_ACL_ARN": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1", "WAF_RATE_LIMIT": "0"}
    config = deploy.Config.from_env(env)
    keys = {"tasko-server": "s.zip", "tasko-action-group": "a.zip"}
    values = {p["ParameterKey"]: p.get("ParameterValue") for p in deploy.stack_parameters(
        config, artifact_bucket="b", keys=keys, csp="c", instruction="i", existing_stack=False)}
    for name, parameter in deploy.OPTIONAL_PARAMETERS.items():
        assert parameter in template["Parameters"]
        assert values[parameter] == env[name]
    # Unset: not passed, so the template's default (no cap, no domain, no WAF) applies.
    plain = deploy.Config.from_env({"STACK_NAME": "tasko-demo", "AWS_REGION": "us-east-1"})
    names = {p["ParameterKey"] for p in deploy.stack_parameters(
        plain, artifact_bucket="b", keys=keys, csp="c", instruction="i", existing_stack=False)}
    assert not names & set(deploy.OPTIONAL_PARAMETERS.values())
    for bad in ({"SERVER_CONCURRENCY_LIMIT": "lots"}, {"DOMAIN_NAME": "tasko.example.com"}):
        with pytest.raises(deploy.DeployError):
            deploy.Config.from_env({"STACK_NAME": "tasko-demo", "AWS_REGION": "us-east-1", **bad})


def test_the_reminder_schedule_invokes_the_server_every_minute_with_a_role_that_may_do_only_that(template):
    everything = template["Resources"]
    (name, schedule), = resources(template, "AWS::Scheduler::Schedule").items()
    props = schedule["Properties"]
    assert props["ScheduleExpression"] == "rate(1 minute)"
    assert props["State"] == "ENABLED"
    assert props["FlexibleTimeWindow"] == {"Mode": "OFF"}
    target = props["Target"]
    assert target["Arn"] == {"Fn::GetAtt": ["ServerFunction", "Arn"]}
    # The event server/src/startup/lambda_events.rs recognizes as the sweep.
    assert json.loads(target["Input"]) == {"tasko": "sweep-reminders"}
    role_name = target["RoleArn"]["Fn::GetAtt"][0]
    role = everything[role_name]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    assert trust["Action"] == "sts:AssumeRole"
    assert trust["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    statements = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    assert statements == [{
        "Effect": "Allow",
        "Action": "lambda:InvokeFunction",
        "Resource": {"Fn::GetAtt": ["ServerFunction", "Arn"]},
    }]
    # Nothing else may assume it or use it.
    users = [n for n, r in everything.items() if role_name in json.dumps(r) and n != role_name]
    assert users == [name]


def test_the_todos_table_has_the_reminders_time_index_the_server_may_query(template):
    table = template["Resources"]["TodosTable"]["Properties"]
    (index,) = table["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "reminders-index"
    assert index["KeySchema"] == [
        {"AttributeName": "remind_minute", "KeyType": "HASH"},
        {"AttributeName": "remind_ms", "KeyType": "RANGE"},
    ]
    assert index["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    types = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}
    assert (types["remind_minute"], types["remind_ms"]) == ("S", "N")
    statements = template["Resources"]["ServerRole"]["Properties"]["Policies"][0][
        "PolicyDocument"]["Statement"]
    (dynamodb,) = [s for s in statements if "dynamodb:Query" in as_list(s["Action"])]
    assert {"Fn::Sub": "${TodosTable.Arn}/index/reminders-index"} in dynamodb["Resource"]

def test_the_server_reads_its_vapid_key_from_the_secure_string_deploy_makes(template):
    parameter = server_env(template)["VAPID_PRIVATE_KEY_PARAMETER"]["Fn::Sub"]
    assert parameter.replace("${AWS::StackName}", "s") == deploy.vapid_parameter_name("s")
    arn = ("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"
           + deploy.vapid_parameter_name("${AWS::StackName}"))
    statements = template["Resources"]["ServerRole"]["Properties"]["Policies"][0][
        "PolicyDocument"]["Statement"]
    ssm = [s for s in statements if any(a.startswith("ssm:") for a in as_list(s["Action"]))]
    assert [(s["Action"], s["Resource"]) for s in ssm] == [("ssm:GetParameter", {"Fn::Sub": arn})]
    kms = [s for s in statements if any(a.startswith("kms:") for a in as_list(s["Action"]))]
    (decrypt,) = kms
    assert decrypt["Action"] == "kms:Decrypt"
    condition = decrypt["Condition"]["StringEquals"]
    assert condition["kms:ViaService"] == {"Fn::Sub": "ssm.${AWS::Region}.amazonaws.com"}
    assert condition["kms:EncryptionContext:PARAMETER_ARN"] == {"Fn::Sub": arn}
