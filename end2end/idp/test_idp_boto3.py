"""The local identity provider, driven by boto3's real `cognito-idp` client.

No credentials are configured: SignUp, InitiateAuth and GlobalSignOut are unsigned Cognito
operations, exactly as a browser calls them.
"""

import base64
import json
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import CLIENT_ID, POOL_ID

PASSWORD = "Corr3ct-Horse!"


@pytest.fixture()
def idp(server):
    return boto3.client(
        "cognito-idp",
        endpoint_url=f"{server}/idp",
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}),
    )


def email() -> str:
    return f"boto-{uuid.uuid4().hex[:10]}@example.com"


def claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def api_me(server: str, id_token: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{server}/api/me", headers={"Authorization": f"Bearer {id_token}"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def sign_in(idp, username: str, password: str = PASSWORD) -> dict:
    return idp.initiate_auth(
        ClientId=CLIENT_ID,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )["AuthenticationResult"]


def test_sign_up_sign_in_and_call_the_api(idp, server):
    address = email()
    signed_up = idp.sign_up(
        ClientId=CLIENT_ID,
        Username=address,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": address}],
    )
    assert signed_up["UserConfirmed"] is True
    result = sign_in(idp, address)
    assert result["TokenType"] == "Bearer"
    assert result["ExpiresIn"] == 3600
    id_claims = claims(result["IdToken"])
    assert id_claims["sub"] == signed_up["UserSub"]
    assert id_claims["iss"] == f"{server}/idp/{POOL_ID}"
    assert id_claims["aud"] == CLIENT_ID
    assert id_claims["token_use"] == "id"
    assert claims(result["AccessToken"])["token_use"] == "access"
    status, me = api_me(server, result["IdToken"])
    assert status == 200
    assert me == {"sub": signed_up["UserSub"], "email": address, "timeZone": None}


def test_refresh_then_global_sign_out_revokes(idp, server):
    address = email()
    idp.sign_up(ClientId=CLIENT_ID, Username=address, Password=PASSWORD)
    first = sign_in(idp, address)
    refreshed = idp.initiate_auth(
        ClientId=CLIENT_ID,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
    )["AuthenticationResult"]
    assert "RefreshToken" not in refreshed
    assert api_me(server, refreshed["IdToken"])[0] == 200

    idp.global_sign_out(AccessToken=first["AccessToken"])
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=CLIENT_ID,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": first["RefreshToken"]},
        )


def test_errors_arrive_as_cognitos_modeled_exceptions(idp):
    address = email()
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.sign_up(ClientId=CLIENT_ID, Username=address, Password="password")
    idp.sign_up(ClientId=CLIENT_ID, Username=address, Password=PASSWORD)
    with pytest.raises(idp.exceptions.UsernameExistsException):
        idp.sign_up(ClientId=CLIENT_ID, Username=address, Password=PASSWORD)
    with pytest.raises(idp.exceptions.NotAuthorizedException) as wrong:
        sign_in(idp, address, "Wr0ng-Password!")
    assert wrong.value.response["Error"]["Message"] == "Incorrect username or password."
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        sign_in(idp, email())
    with pytest.raises(idp.exceptions.InvalidParameterException):
        idp.sign_up(ClientId=CLIENT_ID, Username="not-an-email", Password=PASSWORD)
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.sign_up(ClientId="someone-elses-client", Username=email(), Password=PASSWORD)


def test_the_jwks_under_the_issuer_verifies_the_tokens(server):
    with urllib.request.urlopen(f"{server}/idp/{POOL_ID}/.well-known/jwks.json") as response:
        jwks = json.load(response)
    (key,) = jwks["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256"
    assert "d" not in key


@pytest.fixture()
def confirming(confirming_server):
    base, codes = confirming_server
    client = boto3.client(
        "cognito-idp",
        endpoint_url=f"{base}/idp",
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED, retries={"max_attempts": 1}),
    )
    return client, codes, base


def test_a_sign_up_waits_for_the_emailed_code_as_on_a_real_pool(confirming):
    idp, codes, base = confirming
    address = email()
    signed_up = idp.sign_up(ClientId=CLIENT_ID, Username=address, Password=PASSWORD)
    assert signed_up["UserConfirmed"] is False
    details = signed_up["CodeDeliveryDetails"]
    assert details["DeliveryMedium"] == "EMAIL" and details["AttributeName"] == "email"
    assert details["Destination"] == f"{address[0]}***@e***"
    with pytest.raises(idp.exceptions.UserNotConfirmedException):
        sign_in(idp, address)

    first = codes.latest(address, "ConfirmSignUp")
    idp.resend_confirmation_code(ClientId=CLIENT_ID, Username=address)
    second = codes.latest(address, "ConfirmSignUp")
    wrong = "000000" if second != "000000" else "111111"
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_sign_up(ClientId=CLIENT_ID, Username=address, ConfirmationCode=wrong)
    if first != second:  # a new code replaces the old one
        with pytest.raises(idp.exceptions.CodeMismatchException):
            idp.confirm_sign_up(ClientId=CLIENT_ID, Username=address, ConfirmationCode=first)
    idp.confirm_sign_up(ClientId=CLIENT_ID, Username=address, ConfirmationCode=second)
    assert api_me(base, sign_in(idp, address)["IdToken"])[0] == 200
    # A used code is refused like a wrong one (an unknown account has no code to be "used").
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_sign_up(ClientId=CLIENT_ID, Username=address, ConfirmationCode=second)
    # "Sent" to a confirmed account too, which gets no code.
    before = len(codes.all(address, "ConfirmSignUp"))
    idp.resend_confirmation_code(ClientId=CLIENT_ID, Username=address)
    assert len(codes.all(address, "ConfirmSignUp")) == before


def test_a_code_dies_after_five_wrong_guesses(confirming):
    idp, codes, _ = confirming
    address = email()
    idp.sign_up(ClientId=CLIENT_ID, Username=address, Password=PASSWORD)
    code = codes.latest(address, "ConfirmSignUp")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(idp.exceptions.CodeMismatchException):
            idp.confirm_sign_up(ClientId=CLIENT_ID, Username=address, ConfirmationCode=wrong)
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_sign_up(ClientId=CLIENT_ID, Username=address, ConfirmationCode=code)
    with pytest.raises(idp.exceptions.UserNotConfirmedException):
        sign_in(idp, address)


def test_forgot_password_resets_it_with_the_code_and_revokes_old_sessions(confirming):
    idp, codes, base = confirming
    address = email()
    idp.sign_up(ClientId=CLIENT_ID, Username=address, Password=PASSWORD)
    idp.confirm_sign_up(
        ClientId=CLIENT_ID, Username=address, ConfirmationCode=codes.latest(address, "ConfirmSignUp")
    )
    before = sign_in(idp, address)

    sent = idp.forgot_password(ClientId=CLIENT_ID, Username=address)
    assert sent["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    code = codes.latest(address, "ResetPassword")
    new_password = "N3w-Password!"
    with pytest.raises(idp.exceptions.InvalidPasswordException):
        idp.confirm_forgot_password(
            ClientId=CLIENT_ID, Username=address, ConfirmationCode=code, Password="weak"
        )
    idp.confirm_forgot_password(
        ClientId=CLIENT_ID, Username=address, ConfirmationCode=code, Password=new_password
    )
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        sign_in(idp, address)
    assert api_me(base, sign_in(idp, address, new_password)["IdToken"])[0] == 200
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=CLIENT_ID,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": before["RefreshToken"]},
        )
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_forgot_password(
            ClientId=CLIENT_ID, Username=address, ConfirmationCode=code, Password=PASSWORD
        )
    assert api_me(base, sign_in(idp, address, new_password)["IdToken"])[0] == 200


def test_forgot_password_does_not_tell_who_has_an_account(confirming):
    idp, _, _ = confirming
    nobody = email()
    sent = idp.forgot_password(ClientId=CLIENT_ID, Username=nobody)
    assert sent["CodeDeliveryDetails"]["Destination"] == f"{nobody[0]}***@e***"
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_forgot_password(
            ClientId=CLIENT_ID, Username=nobody, ConfirmationCode="123456", Password=PASSWORD
        )


def answer(call, **kwargs):
    """What an operation answered: the error's type and message, or the successful body
    without its request metadata."""
    try:
        body = call(**kwargs)
    except ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"]["Message"]
    body.pop("ResponseMetadata", None)
    return "ok", body


def test_the_code_flows_do_not_tell_who_has_an_account(confirming):
    """Unknown, unconfirmed and confirmed accounts get the same answers, call for call, as
    from a pool with PreventUserExistenceErrors (same masked destination: same first letters)."""
    idp, codes, _ = confirming
    tag = uuid.uuid4().hex[:8]
    unknown, unconfirmed, confirmed = (f"b{kind}-{tag}@example.com" for kind in "uvw")
    idp.sign_up(ClientId=CLIENT_ID, Username=unconfirmed, Password=PASSWORD)
    idp.sign_up(ClientId=CLIENT_ID, Username=confirmed, Password=PASSWORD)
    idp.confirm_sign_up(
        ClientId=CLIENT_ID, Username=confirmed, ConfirmationCode=codes.latest(confirmed, "ConfirmSignUp")
    )

    def conversation(address):
        said = []
        wrong = dict(ClientId=CLIENT_ID, Username=address, ConfirmationCode="000000")
        said.append(answer(idp.confirm_forgot_password, **wrong, Password=PASSWORD))
        said.append(answer(idp.forgot_password, ClientId=CLIENT_ID, Username=address))
        for _ in range(6):  # past the five a code survives
            said.append(answer(idp.confirm_forgot_password, **wrong, Password=PASSWORD))
        said.append(answer(idp.resend_confirmation_code, ClientId=CLIENT_ID, Username=address))
        for _ in range(6):
            said.append(answer(idp.confirm_sign_up, **wrong))
        return said

    expected = conversation(unknown)
    assert expected[1][0] == "ok" and expected[0][0] == "CodeMismatchException"
    assert conversation(unconfirmed) == expected
    assert conversation(confirmed) == expected


def test_wrong_guesses_are_limited_per_account_across_new_codes(confirming):
    """Five wrong guesses kill a code, and a new code does not bring five more without end:
    after ten wrong guesses within the hour even the right code is refused."""
    idp, codes, _ = confirming
    address = email()
    idp.sign_up(ClientId=CLIENT_ID, Username=address, Password=PASSWORD)
    for sent in (1, 2):
        code = codes.latest(address, "ConfirmSignUp", after=sent - 1)
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(5):
            with pytest.raises(idp.exceptions.CodeMismatchException):
                idp.confirm_sign_up(ClientId=CLIENT_ID, Username=address, ConfirmationCode=wrong)
        idp.resend_confirmation_code(ClientId=CLIENT_ID, Username=address)
    code = codes.latest(address, "ConfirmSignUp", after=2)
    with pytest.raises(idp.exceptions.CodeMismatchException):
        idp.confirm_sign_up(ClientId=CLIENT_ID, Username=address, ConfirmationCode=code)
    with pytest.raises(idp.exceptions.UserNotConfirmedException):
        sign_in(idp, address)
