"""Reading and generating parts of infra/template.yaml.

- `load_template`: the template as plain data; CloudFormation's short tags (`!Ref X`,
  `!Sub ...`, `!If [...]`) become their long forms (`{"Ref": "X"}`, `{"Fn::Sub": ...}`).
- `cfn_function_schema`: the Bedrock Agents API FunctionSchema that `tasko-server
  function-schema` prints, in CloudFormation's property names.
- `write_function_schema`: puts it into the template between its BEGIN/END markers
  (`make infra-schema`), so the template never drifts from the one tool definition.
"""

import json
import re
from pathlib import Path

import yaml

INFRA = Path(__file__).resolve().parent
TEMPLATE = INFRA / "template.yaml"
BEGIN = "# BEGIN generated FunctionSchema"
END = "# END generated FunctionSchema"


class _CfnLoader(yaml.SafeLoader):
    pass


def _tag(name):
    long_name = "Ref" if name == "Ref" else f"Fn::{name}"

    def construct(loader, node):
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if name == "GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)
        return {long_name: value}

    return construct


for _name in ["Ref", "Sub", "GetAtt", "If", "Not", "Equals", "Select", "Split", "Join",
              "And", "Or", "FindInMap", "Base64", "ImportValue", "GetAZs", "Condition"]:
    _CfnLoader.add_constructor(f"!{_name}", _tag(_name))


def load_template(path: Path = TEMPLATE) -> dict:
    return yaml.load(path.read_text(), Loader=_CfnLoader)


def cfn_function_schema(api_schema: dict) -> dict:
    """{"functions": [{name, description, parameters: {p: {type, description, required}},
    requireConfirmation}]} -> the same in CloudFormation's PascalCase property names."""
    functions = []
    for function in api_schema["functions"]:
        parameters = {
            name: {
                "Type": spec["type"],
                "Description": spec["description"],
                "Required": spec["required"],
            }
            for name, spec in function.get("parameters", {}).items()
        }
        functions.append({
            "Name": function["name"],
            "Description": function["description"],
            "Parameters": parameters,
            "RequireConfirmation": function["requireConfirmation"],
        })
    return {"Functions": functions}


def write_function_schema(api_schema: dict, path: Path = TEMPLATE) -> bool:
    """Rewrites the generated block; True if the template changed."""
    text = path.read_text()
    pattern = re.compile(rf"^(?P<indent> *){re.escape(BEGIN)}.*?\n.*?^ *{re.escape(END)}$",
                         re.S | re.M)
    match = pattern.search(text)
    if not match:
        raise SystemExit(f"{path}: the {BEGIN} ... {END} markers are missing")
    indent = match.group("indent")
    body = json.dumps(cfn_function_schema(api_schema), indent=2, sort_keys=True)
    body = "\n".join(indent + "  " + line for line in body.splitlines())
    block = (f"{indent}{BEGIN} (from the tool definition: `make infra-schema`)\n"
             f"{indent}FunctionSchema:\n{body}\n{indent}{END}")
    updated = text[:match.start()] + block + text[match.end():]
    if updated != text:
        path.write_text(updated)
    return updated != text


if __name__ == "__main__":
    import subprocess
    import sys

    binary = sys.argv[1] if len(sys.argv) > 1 else "target/debug/tasko-server"
    schema = json.loads(subprocess.run([binary, "function-schema"], check=True,
                                       capture_output=True, text=True).stdout)
    changed = write_function_schema(schema)
    print("infra/template.yaml: FunctionSchema", "updated" if changed else "already current")
