"""A buffer that does not parse keeps to the project root (issue 26): the `use`s the server
recovers from a broken buffer are checked against the root as `check` checks a file's `use`s,
so hover, definition and rename never read, show or edit a file outside it (spec section 4,
"text of a file outside the root is never read or printed").

Spoken raw to the real binary, on a project `proj/` (with its `defuse.toml`) beside a
library `outside/` that the script reaches with `use "../../outside/lib.defuse"`.
"""

from test_wire import Raw

LIBRARY = 'library lib {\n  close secret { say "THE OUTSIDE TEXT" outcome ended }\n}\n'
SCRIPT = (
    'use "../../outside/lib.defuse"\n'
    "script s {\n"
    '  trigger t { customer "hi" -> a }\n'
    '  acknowledge a { say "x" -> lib.secret }\n'
    "  mirror half { ask \n"
    "}\n"
)
AT_SECRET = {"line": 3, "character": 34}


def project(tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "lib.defuse").write_text(LIBRARY)
    (tmp_path / "proj" / "scripts").mkdir(parents=True)
    (tmp_path / "proj" / "defuse.toml").write_text("")
    script = tmp_path / "proj" / "scripts" / "a.defuse"
    script.write_text(SCRIPT)
    server = Raw(tmp_path)
    server.uri = script.as_uri()
    reply = server.request(
        "initialize", {"processId": None, "rootUri": (tmp_path / "proj").as_uri(), "capabilities": {}}
    )
    assert "capabilities" in reply["result"]
    server.notify("initialized", {})
    server.open(SCRIPT)
    return server


def at_secret(server):
    return {"textDocument": {"uri": server.uri}, "position": AT_SECRET}


def test_hover_and_definition_do_not_follow_a_recovered_use_out_of_the_root(tmp_path):
    server = project(tmp_path)
    hover = server.request("textDocument/hover", at_secret(server))
    assert "OUTSIDE" not in json_text(hover), hover
    assert hover["result"] is None, hover
    definition = server.request("textDocument/definition", at_secret(server))
    assert definition["result"] in (None, []), definition
    assert server.finish() == 0


def test_rename_does_not_edit_a_file_outside_the_root(tmp_path):
    server = project(tmp_path)
    # Even with the outside library open in the editor, the broken script does not link to it.
    outside_uri = (tmp_path / "outside" / "lib.defuse").as_uri()
    item = {"uri": outside_uri, "languageId": "defuse", "version": 1, "text": LIBRARY}
    server.notify("textDocument/didOpen", {"textDocument": item})
    for method in ["textDocument/hover", "textDocument/definition"]:
        reply = server.request(method, at_secret(server))
        assert reply["result"] in (None, []), reply
    rename = server.request("textDocument/rename", {**at_secret(server), "newName": "leaked"})
    assert "outside" not in json_text(rename), rename
    references = server.request("textDocument/references", {**at_secret(server), "context": {"includeDeclaration": True}})
    assert "outside" not in json_text(references), references
    assert server.finish() == 0


def test_a_recovered_use_inside_the_root_still_works(tmp_path):
    (tmp_path / "proj" / "lib").mkdir(parents=True)
    (tmp_path / "proj" / "lib" / "lib.defuse").write_text(LIBRARY.replace("OUTSIDE", "INSIDE"))
    server = Raw(tmp_path)
    (tmp_path / "proj" / "defuse.toml").write_text("")
    (tmp_path / "proj" / "scripts").mkdir()
    script = tmp_path / "proj" / "scripts" / "a.defuse"
    server.uri = script.as_uri()
    server.initialize()
    server.open(SCRIPT.replace("../../outside/lib.defuse", "../lib/lib.defuse"))
    hover = server.request("textDocument/hover", at_secret(server))
    assert "THE INSIDE TEXT" in json_text(hover), hover
    assert server.finish() == 0


def json_text(reply):
    import json

    return json.dumps(reply)
