"""Checks `defuse build --emit connect-guide` templates with the real tools and against the flow.

Reads from stdin a JSON list of cases, each {"template": PATH, "flow": PATH, "placeholders":
{NODE: [VAR, ...]}}: the guide's CloudFormation template, the same script's `--emit json` flow,
and the placeholders each node's texts use (from the parser: the flow JSON writes an escaped
`\{name\}` and a placeholder alike). For each case:

- cfn-lint (us-east-1, every rule) accepts the template; the only setting a resource may carry
  for it is E1029 ignored on a view whose text holds `${` (CloudFormation substitutes only in
  `Fn::Sub`, so that text is shown as written);
- view names and actions match botocore's Connect patterns (`ViewName`, `ViewAction`), and
  any description matches `ViewDescription`;
- the guide's `Content` has no `${` but `${<View>.ViewArn}` and the escape `${!`, and once
  substituted is flow-language JSON in which every `NextAction` resolves;
- each step's conditions equal its view's Actions, which equal its Buttons' actions;
- every node of the flow has exactly one step, every line is verbatim on its view's Cards,
  every edge is a Button with the exact label leading to the target's step, placeholders are
  passed as `$.Attributes.<var>`, closes record their outcome;
- the limits of spec section 13 hold.

Prints one line per failure and ends with "N passed, M failed"; exits 1 on any failure and 2
when cfn-lint or botocore is missing (install: pip install cfn-lint botocore). Never skips.
"""

import json
import sys

try:
    import cfnlint.api
    import regex
    from botocore.loaders import Loader
except ImportError as error:  # Fail loudly: a missing validator must not pass.
    print(f"connect_guide_check: {error}; install with `pip install cfn-lint botocore`", file=sys.stderr)
    sys.exit(2)

HEADINGS = {
    "say": "Say",
    "ask": "Ask",
    "customer": "Customer may say",
    "note": "Trainer note",
    "hold": "Hold (discouraged)",
    "transfer": "Transfer to",
}
STAGES = {
    "trigger": "Trigger",
    "acknowledge": "Acknowledge",
    "mirror": "Mirror",
    "root-cause": "Root cause",
    "options": "Options",
    "close": "Close",
}
FAKE_ARN = "arn:aws:connect:us-east-1:123456789012:instance/" + "i" * 36 + "/view/" + "v" * 36
LONGEST_ARN = 255
REFERENCE = regex.compile(r"\$\{([A-Za-z0-9]+)\.ViewArn\}")


def botocore_patterns():
    shapes = Loader().load_service_model("connect", "service-2")["shapes"]
    return {name: (regex.compile(shapes[name]["pattern"]), shapes[name].get("max")) for name in
            ("ViewName", "ViewAction", "ViewDescription")}


def matches(shape, value):
    pattern, longest = shape
    return "\n" not in value and pattern.fullmatch(value) is not None and (longest is None or len(value) <= longest)


def check(case, patterns):
    problems = []
    text = open(case["template"], encoding="utf-8").read()
    template = json.loads(text)
    flow = json.loads(open(case["flow"], encoding="utf-8").read())

    for match in cfnlint.api.lint(text, regions=["us-east-1"]):
        problems.append(f"cfn-lint: {match}")
    if "TemplateString" in text:
        problems.append("a TemplateString appears in the template")

    resources = template["Resources"]
    views = {key: value["Properties"] for key, value in resources.items() if value["Type"] == "AWS::Connect::View"}
    guide = resources["Guide"]["Properties"]
    for key, view in views.items():
        if not matches(patterns["ViewName"], view["Name"]):
            problems.append(f"{key}: Name {view['Name']!r} does not match botocore's ViewName")
        for action in view["Actions"]:
            if not matches(patterns["ViewAction"], action):
                problems.append(f"{key}: action {action!r} does not match botocore's ViewAction")
        if "Description" in view and not matches(patterns["ViewDescription"], view["Description"]):
            problems.append(f"{key}: Description does not match botocore's ViewDescription")
        body = json.dumps(view["Template"], ensure_ascii=False, separators=(",", ":"))
        size = len(body.encode()) + len(json.dumps(view["Actions"], ensure_ascii=False, separators=(",", ":")).encode())
        if size > 400_000:
            problems.append(f"{key}: the view is {size} bytes")
        if len(view["Actions"]) > 1000:
            problems.append(f"{key}: {len(view['Actions'])} actions")
        metadata = resources[key].get("Metadata")
        if metadata is not None and (metadata != {"cfn-lint": {"config": {"ignore_checks": ["E1029"]}}}
                                     or "${" not in json.dumps(view["Template"], ensure_ascii=False)):
            problems.append(f"{key}: Metadata {metadata} is more than E1029 for text holding ${{")
        kinds = {component["Type"] for component in view["Template"]["Body"]}
        if not kinds <= {"Card", "Button"}:
            problems.append(f"{key}: components {sorted(kinds)}")
    if not matches(patterns["ViewDescription"], guide["Description"]):
        problems.append("the guide's Description does not match botocore's ViewDescription")
    if guide["Description"] != f"defuse step-by-step guide for script {flow['script']['name']}":
        problems.append(f"the guide's Description is {guide['Description']!r}")
    if guide["Type"] != "CONTACT_FLOW" or guide["Name"] != f"defuse {flow['script']['name']} guide":
        problems.append("the guide's Type or Name")
    if len(resources) > 500 or len(text.encode()) > 1_000_000:
        problems.append("too many resources or too many bytes")

    body = guide["Content"]["Fn::Sub"]
    references = REFERENCE.findall(body)
    for reference in references:
        if reference not in views:
            problems.append(f"Content references {reference}, which is not a view")
    rest = REFERENCE.sub("", body).replace("${!", "")
    if "${" in rest:
        problems.append("Content holds an unescaped ${")
    substituted = REFERENCE.sub(lambda m: FAKE_ARN + "|" + m.group(1), body).replace("${!", "${")
    longest = len(REFERENCE.sub("x" * LONGEST_ARN, body).replace("${!", "${"))
    if longest > 256_000:
        problems.append(f"Content is {longest} characters once substituted")
    content = json.loads(substituted)
    if content["Version"] != "2019-10-30":
        problems.append("flow Version")
    steps = {}
    for step in content["Actions"]:
        if step["Identifier"] in steps:
            problems.append(f"step {step['Identifier']} twice")
        steps[step["Identifier"]] = step
    if len(steps) > 250:
        problems.append(f"{len(steps)} flow actions")

    def leads(target):
        if target not in steps:
            problems.append(f"NextAction {target!r} does not resolve")
        return steps.get(target)

    leads(content["StartAction"])
    for step in steps.values():
        transitions = step["Transitions"]
        if "NextAction" in transitions:
            leads(transitions["NextAction"])
        for condition in transitions.get("Conditions", []):
            leads(condition["NextAction"])
        for error in transitions.get("Errors", []):
            leads(error["NextAction"])

    def view_of(step):
        return views[step["Parameters"]["ViewResource"]["Id"].split("|")[1]]

    def buttons(view):
        found = []
        for component in view["Template"]["Body"]:
            if component["Type"] == "Button":
                found.append((component["Props"]["Action"], component["Content"]))
        return found

    def routes(step):
        """Action → target step, after checking conditions = Actions = Buttons."""
        view = view_of(step)
        conditions = step["Transitions"].get("Conditions", [])
        operands = [condition["Condition"]["Operands"] for condition in conditions]
        if operands != [[action] for action in view["Actions"]]:
            problems.append(f"{step['Identifier']}: conditions {operands} are not the view's actions {view['Actions']}")
        if [action for action, _ in buttons(view)] != view["Actions"]:
            problems.append(f"{step['Identifier']}: buttons are not the view's actions")
        return {condition["Condition"]["Operands"][0]: condition["NextAction"] for condition in conditions}

    shows = [step for step in steps.values() if step["Type"] == "ShowView"]
    for step in shows:
        routes(step)
    by_node = {}
    for step in shows:
        node = step["Parameters"].get("ViewData", {}).get("defuse_node")
        if node is not None:
            by_node.setdefault(node, []).append(step)
    ids = [node["id"] for node in flow["nodes"]]
    for node_id in ids:
        if len(by_node.get(node_id, [])) != 1:
            problems.append(f"node {node_id} has {len(by_node.get(node_id, []))} steps")
    if len(shows) != len(ids) + (1 if len(flow["entry"]) > 1 else 0):
        problems.append(f"{len(shows)} ShowView steps for {len(ids)} nodes")
    if sorted(by_node) != sorted(ids):
        problems.append("steps name nodes the flow does not have")

    for node in flow["nodes"]:
        found = by_node.get(node["id"], [None])[0]
        if found is None:
            continue
        view = view_of(found)
        if view["Name"] != f"defuse.{flow['script']['name']}.{node['id']}" and len(view["Name"]) < 253:
            problems.append(f"{node['id']}: view Name {view['Name']!r}")
        cards = [(c["Props"]["Heading"], c["Props"]["Description"]) for c in view["Template"]["Body"] if c["Type"] == "Card"]
        expected = [(STAGES[node["stage"]], node["id"])] + [(HEADINGS[line["kind"]], line["text"]) for line in node["lines"]]
        if node["stage"] == "close":
            expected.append(("Outcome", node["outcome"]))
            if "follow_up" in node:
                follow_up = node["follow_up"]
                expected.append((f"Follow up after {follow_up['after']}", follow_up["note"]))
        if cards != expected:
            problems.append(f"{node['id']}: cards {cards} are not {expected}")
        route = routes(found)
        labels = {action: content for action, content in buttons(view)}
        if node["stage"] == "close":
            closing = leads(route.get("done", ""))
            want = {"defuse_script": flow["script"]["name"], "defuse_close": node["id"], "defuse_outcome": node["outcome"]}
            if "follow_up" in node:
                want["defuse_follow_up_after"] = node["follow_up"]["after"]
            if closing is None or closing["Type"] != "UpdateContactAttributes" \
                    or closing["Parameters"] != {"TargetContact": "Related", "Attributes": want} \
                    or steps[closing["Transitions"]["NextAction"]]["Type"] != "DisconnectParticipant":
                problems.append(f"{node['id']}: the close does not record {want}")
        else:
            taken = []
            for way in node["next"]:
                target = by_node.get(way["target"], [{}])[0].get("Identifier")
                label = {"otherwise": "Something else", "goto": "Continue"}.get(way["kind"], way.get("label"))
                hit = [a for a, content in labels.items() if content == [label] and route.get(a) == target and a not in taken]
                if not hit:
                    problems.append(f"{node['id']}: no button {label!r} leading to {way['target']}")
                else:
                    taken.append(hit[0])
                if way["kind"] == "otherwise":
                    errors = {e["ErrorType"]: e["NextAction"] for e in found["Transitions"]["Errors"]}
                    if errors.get("NoMatchingCondition") != target:
                        problems.append(f"{node['id']}: no match does not lead to {way['target']}")
            if node["next"] and len(taken) != len(view["Actions"]):
                problems.append(f"{node['id']}: {len(view['Actions'])} actions for {len(node['next'])} ways on")
        data = dict(found["Parameters"]["ViewData"])
        if data.pop("defuse_node") != node["id"]:
            problems.append(f"{node['id']}: ViewData defuse_node")
        wanted = {name: f"$.Attributes.{name}" for name in case["placeholders"][node["id"]] if name != "defuse_node"}
        if data != wanted:
            problems.append(f"{node['id']}: ViewData {data} does not pass the placeholders {wanted}")

    entry = flow["entry"]
    if len(entry) == 1 and content["StartAction"] != by_node[entry[0]][0]["Identifier"]:
        problems.append("StartAction is not the trigger's step")
    if len(entry) > 1:
        start = steps[content["StartAction"]]
        route = routes(start)
        firsts = {node["id"]: next((l["text"] for l in node["lines"] if l["kind"] == "customer"), node["id"])
                  for node in flow["nodes"] if node["id"] in entry}
        if [(a, c) for a, c in buttons(view_of(start))] != [(trigger, [firsts[trigger]]) for trigger in entry]:
            problems.append("the start view does not offer one button per trigger")
        for trigger in entry:
            if route.get(trigger) != by_node[trigger][0]["Identifier"]:
                problems.append(f"start: {trigger} does not lead to its step")
    return problems


def main():
    cases = json.load(sys.stdin)
    patterns = botocore_patterns()
    failed = 0
    for case in cases:
        problems = check(case, patterns)
        for problem in problems:
            print(f"{case['template']}: {problem}")
        failed += bool(problems)
    print(f"{len(cases) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
